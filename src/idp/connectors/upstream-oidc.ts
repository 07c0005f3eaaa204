import * as oidc from "openid-client";
import type { Account } from "./connector.js";

/** UpstreamOidcConfig configures an upstream OpenID provider the embedded provider delegates to. */
export interface UpstreamOidcConfig {
  /** Issuer URL; empty disables the connector. */
  issuerUrl: string;
  clientId: string;
  /** Empty for a public client (PKCE only). */
  clientSecret: string;
  scopes: string;
  /** Name shown on the login page. */
  displayName: string;
  userClaim: string;
  groupsClaim: string;
}

/** defaultUpstreamOidcConfig returns a disabled connector with the usual claim names. */
export function defaultUpstreamOidcConfig(): UpstreamOidcConfig {
  return {
    issuerUrl: "",
    clientId: "",
    clientSecret: "",
    scopes: "openid profile email groups",
    displayName: "single sign-on",
    userClaim: "sub",
    groupsClaim: "groups",
  };
}

/** UpstreamChecks are the secrets of one upstream login, kept until its callback. */
export interface UpstreamLoginChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** RedirectConnector logs people in by sending them to another provider and back. */
export interface RedirectConnector {
  id: string;
  name: string;
  /** start returns where to send the browser, with fresh checks to keep until the callback. */
  start(): Promise<{ url: URL; checks: UpstreamLoginChecks }>;
  /** finish redeems the callback (state, nonce, PKCE, signed ID token) into an account. */
  finish(callbackUrl: URL, checks: UpstreamLoginChecks): Promise<Account>;
}

/** upstreamOidcConnector delegates login to an upstream OpenID provider; accounts are `<id>:<subject>`. */
export function upstreamOidcConnector(
  cfg: UpstreamOidcConfig,
  redirectUri: string,
  id = "oidc",
): RedirectConnector {
  let config: Promise<oidc.Configuration> | undefined;
  const configuration = () => {
    config ??= oidc
      .discovery(
        new URL(cfg.issuerUrl),
        cfg.clientId,
        cfg.clientSecret ? { client_secret: cfg.clientSecret } : undefined,
        cfg.clientSecret ? oidc.ClientSecretBasic(cfg.clientSecret) : oidc.None(),
        cfg.issuerUrl.startsWith("http:") ? { execute: [oidc.allowInsecureRequests] } : {},
      )
      .then((c) => {
        oidc.enableNonRepudiationChecks(c);
        return c;
      });
    config.catch(() => {
      config = undefined;
    });
    return config;
  };
  return {
    id,
    name: cfg.displayName,
    async start() {
      const checks = {
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        codeVerifier: oidc.randomPKCECodeVerifier(),
      };
      const url = oidc.buildAuthorizationUrl(await configuration(), {
        redirect_uri: redirectUri,
        scope: cfg.scopes,
        state: checks.state,
        nonce: checks.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: "S256",
      });
      return { url, checks };
    },
    async finish(callbackUrl, checks) {
      const tokens = await oidc.authorizationCodeGrant(await configuration(), callbackUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      const key = claims?.[cfg.userClaim];
      if (!claims || typeof key !== "string" || !key) {
        throw new Error(`the upstream ID token has no "${cfg.userClaim}" claim`);
      }
      const str = (v: unknown) => (typeof v === "string" ? v : "");
      const groups = claims[cfg.groupsClaim];
      return {
        sub: `${id}:${key}`,
        name: str(claims.name) || key,
        email: str(claims.email),
        groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === "string") : [],
      };
    },
  };
}
