import type { IdpDeps } from "../../idp/deps.js";
import type { EmbeddedIdp } from "../../idp/provider.js";
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

/**
 * lazyIdentityRuntime returns a function that builds the embedded provider and the relying party on
 * its first call and returns the same runtime afterwards; a failed build is tried again on the next
 * call. It is lazy because the public URL may only be known after the server listens (port 0 in tests).
 */
export function lazyIdentityRuntime(ctx: () => AppContext): () => Promise<IdentityRuntime> {
  let runtime: Promise<IdentityRuntime> | undefined;
  return () => {
    if (!runtime) {
      const building = build(ctx());
      building.catch(() => {
        if (runtime === building) runtime = undefined;
      });
      runtime = building;
    }
    return runtime;
  };
}

async function build(ctx: AppContext): Promise<IdentityRuntime> {
  const cfg = ctx.config.identity;
  const baseUrl = ctx.config.publicUrl.replace(/\/+$/, "");
  const redirectUri = `${baseUrl}/auth/callback`;
  if (cfg.issuerUrl) {
    return { baseUrl, rp: await createRelyingParty(cfg, cfg.issuerUrl, redirectUri, false) };
  }
  const issuer = `${baseUrl}${EMBEDDED_IDP_PATH}`;
  // Loaded only here, so a server that delegates to an external provider never loads the embedded one.
  const { createIdentityProvider } = await import("../../idp/provider.js");
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
