import { randomBytes, randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import { type KeyStorage, openStoredKey, type StoredKey, sealStoredKeys } from "../shared/key-encryption.js";
import type { IdpDeps } from "./deps.js";
import type { IdpKeyRow } from "./tables.js";

/** ProviderKeys are the persisted secrets of the provider: token signing keys and cookie keys. */
export interface ProviderKeys {
  signing: JWK[];
  cookie: string[];
}

/**
 * loadOrCreateKeys reads the signing and cookie keys from the database, creating them on first
 * start; concurrent starts of several replicas converge on the rows that won the insert. A sealed
 * key that does not open throws StoredKeysError.
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

/**
 * prepareKeys runs once at start, before the provider is built: it refuses sealed keys it cannot open
 * (StoredKeysError) and, with a key encryption, seals keys stored in plain text in place. Sessions and
 * tokens signed before stay valid: the keys themselves do not change.
 */
export async function prepareKeys(deps: IdpDeps): Promise<KeyStorage> {
  const rows = await deps.db.selectFrom("idp_keys").select(["kid", "kind", "material"]).execute();
  return sealStoredKeys(rows.map(storedKey), deps.keyEncryption, async (key, sealed) => {
    const res = await deps.db
      .updateTable("idp_keys")
      .set({ material: sealed })
      .where("kid", "=", key.kid)
      .where("material", "=", key.stored)
      .executeTakeFirst();
    return Number(res.numUpdatedRows);
  });
}

// The table and kind are bound too: an envelope moved to another row, kind or table does not open.
const bindingOf = (kid: string, kind: string) => `idp_keys/${kind}/${kid}`;

const storedKey = (row: Pick<IdpKeyRow, "kid" | "kind" | "material">): StoredKey => ({
  kid: row.kid,
  binding: bindingOf(row.kid, row.kind),
  stored: row.material,
});

async function readKeys(deps: IdpDeps): Promise<ProviderKeys> {
  const rows = await deps.db.selectFrom("idp_keys").selectAll().orderBy("created_at", "desc").execute();
  const open = (row: IdpKeyRow) => openStoredKey(deps.keyEncryption, storedKey(row));
  return {
    signing: rows.filter((r) => r.kind === "signing").map((r) => JSON.parse(open(r)) as JWK),
    cookie: rows.filter((r) => r.kind === "cookie").map(open),
  };
}

async function insertKey(deps: IdpDeps, kid: string, kind: string, material: string): Promise<void> {
  const stored = deps.keyEncryption ? deps.keyEncryption.seal(bindingOf(kid, kind), material) : material;
  await deps.db
    .insertInto("idp_keys")
    .values({ kid, kind, material: stored, created_at: deps.now().toISOString() })
    .onConflict((oc) => oc.column("kid").doNothing())
    .execute();
}
