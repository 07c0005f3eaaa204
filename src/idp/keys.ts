import { randomBytes, randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import type { IdpDeps } from "./deps.js";

/** ProviderKeys are the persisted secrets of the provider: token signing keys and cookie keys. */
export interface ProviderKeys {
  signing: JWK[];
  cookie: string[];
}

/**
 * loadOrCreateKeys reads the signing and cookie keys from the database, creating them on first
 * start; concurrent starts of several replicas converge on the rows that won the insert.
 */
export async function loadOrCreateKeys(deps: IdpDeps): Promise<ProviderKeys> {
  let keys = await readKeys(deps);
  if (keys.signing.length === 0) {
    const { privateKey } = await generateKeyPair("RS256", { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: "RS256", use: "sig" };
    await insertKey(deps, jwk.kid, "signing", JSON.stringify(jwk));
  }
  if (keys.cookie.length === 0) {
    await insertKey(deps, randomUUID(), "cookie", randomBytes(32).toString("base64url"));
  }
  keys = await readKeys(deps);
  return keys;
}

async function readKeys(deps: IdpDeps): Promise<ProviderKeys> {
  const rows = await deps.db.selectFrom("idp_keys").selectAll().orderBy("created_at", "desc").execute();
  return {
    signing: rows.filter((r) => r.kind === "signing").map((r) => JSON.parse(r.material) as JWK),
    cookie: rows.filter((r) => r.kind === "cookie").map((r) => r.material),
  };
}

async function insertKey(deps: IdpDeps, kid: string, kind: string, material: string): Promise<void> {
  await deps.db
    .insertInto("idp_keys")
    .values({ kid, kind, material, created_at: deps.now().toISOString() })
    .onConflict((oc) => oc.column("kid").doNothing())
    .execute();
}
