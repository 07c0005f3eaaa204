import type { IdpDeps } from "../../idp/deps.js";
import { createIdentityProvider, type EmbeddedIdp } from "../../idp/provider.js";
import { createKeyEncryption } from "../../shared/key-encryption.js";
import type { AppContext } from "../context.js";
import { createRelyingParty, type RelyingParty } from "./relying-party.js";

/** IdentityRuntime is what the login endpoints need at request time, built once the public URL is known. */
export interface IdentityRuntime {
  /** Base URL of this server without a trailing slash. */
  baseUrl: string;
  /** The embedded provider; undefined when an external provider is configured. */
  idp?: EmbeddedIdp;
  rp: RelyingParty;
}

/** EMBEDDED_IDP_PATH is where the embedded provider is mounted; its issuer is `<public url>/idp`. */
export const EMBEDDED_IDP_PATH = "/idp";

/** idpDeps adapts the app context to what the identity provider needs; its keys share the signing-key secret. */
export function idpDeps(ctx: AppContext): IdpDeps {
  const secret = ctx.config.signingKeySecret;
  return {
    db: ctx.db.kysely as unknown as IdpDeps["db"],
    now: () => ctx.now(),
    ...(secret ? { keyEncryption: createKeyEncryption(secret.value) } : {}),
  };
}

const runtimes = new WeakMap<AppContext, Promise<IdentityRuntime>>();

/**
 * identityRuntime builds (once per context) the embedded provider and the relying party. It is lazy
 * because the public URL may only be known after the server listens (port 0 in tests).
 */
export function identityRuntime(ctx: AppContext): Promise<IdentityRuntime> {
  let runtime = runtimes.get(ctx);
  if (!runtime) {
    runtime = build(ctx);
    runtime.catch(() => runtimes.delete(ctx));
    runtimes.set(ctx, runtime);
  }
  return runtime;
}

async function build(ctx: AppContext): Promise<IdentityRuntime> {
  const cfg = ctx.config.identity;
  const baseUrl = ctx.config.publicUrl.replace(/\/+$/, "");
  const redirectUri = `${baseUrl}/auth/callback`;
  if (cfg.issuerUrl) {
    return { baseUrl, rp: await createRelyingParty(cfg, cfg.issuerUrl, redirectUri, false) };
  }
  const issuer = `${baseUrl}${EMBEDDED_IDP_PATH}`;
  const idp = await createIdentityProvider({
    issuer,
    deps: idpDeps(ctx),
    rpClient: { clientId: cfg.clientId, redirectUris: [redirectUri] },
    ...(cfg.ldap.url ? { ldap: cfg.ldap } : {}),
    ...(cfg.upstream.issuerUrl ? { upstream: cfg.upstream } : {}),
    trustProxy: baseUrl.startsWith("https:"),
  });
  return {
    baseUrl,
    idp,
    rp: await createRelyingParty({ ...cfg, clientSecret: "" }, issuer, redirectUri, true),
  };
}
