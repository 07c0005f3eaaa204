import * as oidc from "openid-client";
import type { IdentityConfig } from "./identity-config.js";

/** IdClaims are the verified facts about the person who logged in at the identity provider. */
export interface IdClaims {
  /** The user key: the configured claim, with the configured prefix for external providers. */
  userId: string;
  name: string;
  email: string;
  /** Groups from the configured claim; undefined when the provider sent none. */
  groups?: string[];
}

/** UpstreamChecks are the per-login secrets the callback is checked against. */
export interface UpstreamChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** RelyingParty is the API server as a client of its identity provider (authorization code + PKCE + nonce). */
export interface RelyingParty {
  /** authorizationUrl is where the browser goes to log in. */
  authorizationUrl(checks: UpstreamChecks, extra?: Record<string, string>): Promise<URL>;
  /** exchange redeems the code in the callback URL and returns verified ID-token claims. */
  exchange(callbackUrl: URL, checks: UpstreamChecks): Promise<IdClaims>;
}

/** newUpstreamChecks draws fresh state, nonce and PKCE verifier for one upstream login. */
export function newUpstreamChecks(): UpstreamChecks {
  return {
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    codeVerifier: oidc.randomPKCECodeVerifier(),
  };
}

/**
 * createRelyingParty configures openid-client for the provider: the embedded one from its known
 * endpoints, an external one by discovery. ID-token signatures are verified against the provider's
 * JWKS (non-repudiation checks), not only trusted because they came over TLS.
 */
export async function createRelyingParty(
  cfg: IdentityConfig,
  issuer: string,
  redirectUri: string,
  embedded: boolean,
): Promise<RelyingParty> {
  const insecure = issuer.startsWith("http:");
  const auth = cfg.clientSecret ? oidc.ClientSecretBasic(cfg.clientSecret) : oidc.None();
  const metadata = cfg.clientSecret ? { client_secret: cfg.clientSecret } : undefined;
  let config: oidc.Configuration;
  if (embedded) {
    config = new oidc.Configuration(
      {
        issuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        id_token_signing_alg_values_supported: ["RS256"],
      },
      cfg.clientId,
      metadata,
      auth,
    );
    if (insecure) oidc.allowInsecureRequests(config);
  } else {
    config = await oidc.discovery(new URL(issuer), cfg.clientId, metadata, auth, {
      ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
    });
  }
  oidc.enableNonRepudiationChecks(config);
  const prefix = embedded ? "" : cfg.userPrefix;

  return {
    async authorizationUrl(checks, extra = {}) {
      return oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: cfg.scopes,
        response_type: "code",
        state: checks.state,
        nonce: checks.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: "S256",
        ...extra,
      });
    },
    async exchange(callbackUrl, checks) {
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new Error("the identity provider returned no ID token");
      const key = claims[cfg.userClaim];
      if (typeof key !== "string" || !key) {
        throw new Error(`the ID token has no "${cfg.userClaim}" claim to use as user key`);
      }
      const groups = claims[cfg.groupsClaim];
      const str = (v: unknown) => (typeof v === "string" ? v : "");
      return {
        userId: `${prefix}${key}`,
        name: str(claims[cfg.nameClaim]) || key,
        email: str(claims[cfg.emailClaim]),
        ...(Array.isArray(groups)
          ? { groups: groups.filter((g): g is string => typeof g === "string") }
          : {}),
      };
    },
  };
}
