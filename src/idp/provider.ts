import Provider, {
  type Configuration,
  type KoaContextWithOIDC,
  type Account as OidcAccount,
} from "oidc-provider";
import type { Req, Res } from "../shared/http.js";
import { messagePage } from "../shared/pages/message.js";
import { createAdapterFactory } from "./adapter.js";
import { type ConnectorSet, createConnectorLoader } from "./connector-store.js";
import type { Account } from "./connectors/connector.js";
import { type LdapConfig, ldapConnector } from "./connectors/ldap.js";
import { localConnector } from "./connectors/local.js";
import { type UpstreamOidcConfig, upstreamOidcConnector } from "./connectors/upstream-oidc.js";
import type { IdpDeps } from "./deps.js";
import { createInteractionHandler, createUpstreamCallbackHandler } from "./interactions.js";
import { loadOrCreateKeys } from "./keys.js";
import { getLocalUser } from "./local-users.js";

/** RelyingPartyClient is the API server's own client registration at the embedded provider. */
export interface RelyingPartyClient {
  clientId: string;
  /** Exact redirect URIs, e.g. `<public url>/auth/callback`. */
  redirectUris: string[];
}

/** IdentityProviderOptions configure the embedded provider. */
export interface IdentityProviderOptions {
  /** Issuer URL including the mount path, e.g. https://api.example.com/idp. */
  issuer: string;
  deps: IdpDeps;
  rpClient: RelyingPartyClient;
  /** LDAP connector; undefined when not configured. */
  ldap?: LdapConfig;
  /** Upstream OpenID provider connector; undefined when not configured. */
  upstream?: UpstreamOidcConfig;
  /** Trust X-Forwarded-* headers (the server runs behind a TLS-terminating proxy). */
  trustProxy: boolean;
}

/** EmbeddedIdp is a running provider: an HTTP handler for everything under the issuer path. */
export interface EmbeddedIdp {
  issuer: string;
  /** The path prefix the provider is mounted at, e.g. "/idp". */
  mountPath: string;
  handle(req: Req, res: Res): Promise<void>;
}

const DAY = 24 * 60 * 60;

/** EXTERNAL_ACCOUNT_MODEL stores the claims of accounts from other connectors (LDAP) between login and token. */
const EXTERNAL_ACCOUNT_MODEL = "ExternalAccount";

/** createIdentityProvider builds the embedded OpenID provider on oidc-provider with persisted keys, clients and sessions. */
export async function createIdentityProvider(opts: IdentityProviderOptions): Promise<EmbeddedIdp> {
  const { deps } = opts;
  const mountPath = new URL(opts.issuer).pathname.replace(/\/$/, "");
  const keys = await loadOrCreateKeys(deps);
  const adapter = createAdapterFactory(deps);
  const fixed: ConnectorSet = { password: [localConnector(deps)], redirect: [] };
  if (opts.ldap?.url) fixed.password.push(ldapConnector(opts.ldap));
  const callbackUrl = (id: string) => `${opts.issuer}/connector/${id}/callback`;
  if (opts.upstream?.issuerUrl)
    fixed.redirect.push(upstreamOidcConnector(opts.upstream, callbackUrl("oidc")));

  const findAccount = async (_ctx: KoaContextWithOIDC, sub: string): Promise<OidcAccount | undefined> => {
    const account = await loadAccount(deps, adapter, sub);
    if (!account) return undefined;
    return {
      accountId: sub,
      claims: () => ({
        sub,
        name: account.name,
        preferred_username: sub.includes(":") ? sub.slice(sub.indexOf(":") + 1) : sub,
        email: account.email,
        groups: account.groups,
      }),
    };
  };

  const configuration: Configuration = {
    adapter,
    clients: [
      {
        client_id: opts.rpClient.clientId,
        client_name: "metal-apiserver",
        token_endpoint_auth_method: "none",
        redirect_uris: opts.rpClient.redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    jwks: { keys: keys.signing as NonNullable<Configuration["jwks"]>["keys"] },
    cookies: {
      keys: keys.cookie,
      long: { signed: true, httpOnly: true, sameSite: "lax" },
      short: { signed: true, httpOnly: true, sameSite: "lax" },
    },
    findAccount,
    claims: {
      openid: ["sub"],
      profile: ["name", "preferred_username"],
      email: ["email"],
      groups: ["groups"],
    },
    scopes: ["openid", "profile", "email", "groups"],
    // The relying parties read name, email and groups from the signed ID token, not from userinfo.
    conformIdTokenClaims: false,
    responseTypes: ["code"],
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.type = "html";
          ctx.body = messagePage("Log out", "Logging you out…").replace(
            "</main>",
            `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Log out</button></main>`,
          );
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.type = "html";
          ctx.body = messagePage("Logged out", "You are logged out. You can close this page.");
        },
      },
    },
    interactions: { url: (_ctx, interaction) => `${mountPath}/interaction/${interaction.uid}` },
    // Every registered client is registered by an operator and therefore trusted: grant the
    // requested scopes without a consent screen, which is also what makes single sign-on seamless.
    loadExistingGrant: async (ctx) => {
      const session = ctx.oidc.session;
      const client = ctx.oidc.client;
      if (!session?.accountId || !client) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
      const grant =
        (grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined) ??
        new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(String(ctx.oidc.params?.scope ?? "openid"));
      await grant.save();
      return grant;
    },
    renderError: async (ctx, out) => {
      ctx.type = "html";
      ctx.body = messagePage(
        "Login failed",
        String(out.error_description ?? out.error ?? "The request could not be processed."),
        { alert: true },
      );
    },
    clientBasedCORS: () => false,
    ttl: {
      AuthorizationCode: 60,
      IdToken: 3600,
      AccessToken: 3600,
      Interaction: 30 * 60,
      Session: 7 * DAY,
      Grant: 7 * DAY,
    },
  };

  const provider = new Provider(opts.issuer, configuration);
  provider.proxy = opts.trustProxy;
  const callback = provider.callback();
  const interactionOptions = {
    provider,
    deps,
    loadConnectors: createConnectorLoader(deps, fixed, callbackUrl),
    mountPath,
    secure: opts.issuer.startsWith("https:"),
    cookieKey: keys.cookie[0]!,
    adapter,
    origin: new URL(opts.issuer).origin,
    saveExternalAccount: async (account: Account) => {
      await adapter(EXTERNAL_ACCOUNT_MODEL).upsert(account.sub, { ...account }, 30 * DAY);
    },
  };
  const interactions = createInteractionHandler(interactionOptions);
  const upstreamCallback = createUpstreamCallbackHandler(interactionOptions);

  return {
    issuer: opts.issuer,
    mountPath,
    async handle(req, res) {
      const url = req.url ?? "/";
      if (url.startsWith(`${mountPath}/interaction/`)) return interactions(req, res);
      if (/^\/connector\/[a-z0-9-]+\/callback(\?|$)/.test(url.slice(mountPath.length))) {
        return upstreamCallback(req, res);
      }
      // oidc-provider derives its mount path from originalUrl versus url, as under Express.
      (req as { originalUrl?: string }).originalUrl = url;
      req.url = url.slice(mountPath.length) || "/";
      await callback(req as never, res as never);
    },
  };
}

async function loadAccount(
  deps: IdpDeps,
  adapter: ReturnType<typeof createAdapterFactory>,
  sub: string,
): Promise<Account | undefined> {
  if (sub.includes(":")) {
    const stored = await adapter(EXTERNAL_ACCOUNT_MODEL).find(sub);
    return stored ? (stored as unknown as Account) : undefined;
  }
  const user = await getLocalUser(deps, sub);
  if (!user || user.locked) return undefined;
  return { sub, name: user.displayName || user.id, email: user.email, groups: [...user.roles] };
}
