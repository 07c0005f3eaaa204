import { randomUUID } from "node:crypto";
import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import { type Kysely, sql } from "kysely";
import {
  createKeyEncryption,
  type KeyStorage,
  openStoredKey,
  StoredKeysError,
  sealStoredKeys,
} from "../../shared/key-encryption.js";
import type { SigningKeySecret } from "../config.js";
import type { Db } from "../store/db.js";
import type { Database } from "../store/schema.js";
import { SIGNING_KEY_TABLE, storedKeysError } from "../stored-key-errors.js";

/** JWT_ALG is the only algorithm the server signs with and accepts. */
export const JWT_ALG = "ES256";

/** ActiveKey is the key new tokens are signed with. */
export interface ActiveKey {
  kid: string;
  privateKey: CryptoKey;
}

/** SigningKeys hands out the active signing key and the public keys that still verify. */
export interface SigningKeys {
  /** active returns the newest unretired key, creating one when there is none. */
  active(): Promise<ActiveKey>;
  /** publicKey returns the verification key of `kid`, or undefined when unknown or expired. */
  publicKey(kid: string): Promise<CryptoKey | undefined>;
  /** jwks returns the public keys that still verify tokens, as a JSON Web Key Set. */
  jwks(): Promise<{ keys: JWK[] }>;
  /**
   * rotate makes a new key active; the old one stops signing but keeps verifying for
   * `overlapMs` (the longest lifetime of a token it may have signed).
   */
  rotate(overlapMs: number): Promise<string>;
  /**
   * prepare runs once at start: it refuses encrypted keys it cannot open (no secret, a wrong secret,
   * altered rows) with a ConfigError, and with a secret encrypts keys stored in plain text.
   */
  prepare(): Promise<KeyStorage>;
}

interface LoadedKey {
  kid: string;
  createdAt: string;
  retired: boolean;
  verifyUntil?: Date;
  publicJwk: JWK;
  publicKey: CryptoKey;
  /** The stored private key: an encrypted envelope, or plain JWK JSON written without a secret. */
  storedPrivate: string;
}

// A kid not in memory is looked up in the database at once (another replica or `token create` may have
// just made it). Kids we issue are UUIDs, so a token naming anything else is refused without a query,
// and a kid the database did not know is not asked for again for a second (nobody can present a
// random UUID before it exists, so this never delays a real key).
const KID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UNKNOWN_KID_TTL_MS = 1_000;
const UNKNOWN_KIDS_MAX = 10_000;

// Any constant works: it only has to be the same in every process that creates signing keys.
const KEY_CREATION_LOCK = 7_352_291_004;

/** RotationPolicy makes `active` rotate a key once it is older than `rotateAfterMs`. */
export interface RotationPolicy {
  rotateAfterMs: number;
  /** How long a retired key keeps verifying: the longest token lifetime. */
  overlapMs: () => number;
}

/**
 * createSigningKeys keeps the key pairs in the database so every replica and restart uses the same
 * keys; keys are cached in memory and reloaded when a token names an unknown kid.
 */
export function createSigningKeys(
  db: Db,
  now: () => Date,
  policy?: RotationPolicy,
  secret?: SigningKeySecret,
): SigningKeys {
  const encryption = secret ? createKeyEncryption(secret.value) : undefined;
  let rotating: Promise<Map<string, LoadedKey>> | undefined;
  let cache: Map<string, LoadedKey> | undefined;
  let loading: Promise<Map<string, LoadedKey>> | undefined;
  const privateKeys = new Map<string, CryptoKey>();

  const unknownKids = new Map<string, number>();
  const lookups = new Map<string, Promise<LoadedKey | undefined>>();

  const loaded = async (row: Database["signing_keys"]): Promise<LoadedKey> => {
    const publicJwk = JSON.parse(row.public_jwk) as JWK;
    return {
      kid: row.kid,
      createdAt: row.created_at,
      retired: row.retired_at !== null,
      verifyUntil: row.verify_until ? new Date(row.verify_until) : undefined,
      publicJwk,
      publicKey: (await importJWK(publicJwk, JWT_ALG)) as CryptoKey,
      storedPrivate: row.private_jwk,
    };
  };
  const load = async (): Promise<Map<string, LoadedKey>> => {
    const rows = await db.kysely.selectFrom("signing_keys").selectAll().execute();
    const next = new Map<string, LoadedKey>();
    for (const row of rows) next.set(row.kid, await loaded(row));
    cache = next;
    return next;
  };
  // One database look-up per unknown kid at a time, shared by the requests that name it.
  const lookUp = (kid: string): Promise<LoadedKey | undefined> => {
    let lookup = lookups.get(kid);
    if (!lookup) {
      lookup = (async () => {
        const row = await db.kysely
          .selectFrom("signing_keys")
          .selectAll()
          .where("kid", "=", kid)
          .executeTakeFirst();
        if (!row) {
          if (unknownKids.size >= UNKNOWN_KIDS_MAX) unknownKids.clear();
          unknownKids.set(kid, Date.now());
          return undefined;
        }
        const key = await loaded(row);
        (await keys()).set(kid, key);
        return key;
      })().finally(() => lookups.delete(kid));
      lookups.set(kid, lookup);
    }
    return lookup;
  };
  /**
   * serialized runs `fn` in a transaction that holds the key-creation lock, so two processes (replicas,
   * `token create`) never both create a first key or both rotate: PostgreSQL takes an advisory lock,
   * SQLite its write lock (an UPDATE takes it even when it matches no row).
   */
  const serialized = <T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> =>
    db.kysely.transaction().execute(async (trx) => {
      if (db.dialect === "postgres")
        await sql`select pg_advisory_xact_lock(${KEY_CREATION_LOCK})`.execute(trx);
      else await trx.updateTable("signing_keys").set({ kid: sql`kid` }).where(sql<boolean>`0 = 1`).execute();
      return fn(trx);
    });
  const keys = async (force = false) => {
    if (cache && !force) return cache;
    loading ??= load().finally(() => {
      loading = undefined;
    });
    return loading;
  };
  const newest = (all: Map<string, LoadedKey>) =>
    [...all.values()].filter((k) => !k.retired).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  // Errors name the key and the setting, never the secret or key material.
  const asConfigError = (err: unknown) =>
    err instanceof StoredKeysError ? storedKeysError(err, SIGNING_KEY_TABLE, secret) : err;
  const openPrivate = (kid: string, stored: string): JWK => {
    try {
      return JSON.parse(openStoredKey(encryption, { kid, binding: kid, stored })) as JWK;
    } catch (err) {
      throw asConfigError(err);
    }
  };
  const insertKey = async (trx: Kysely<Database>): Promise<string> => {
    const { publicKey, privateKey } = await generateKeyPair(JWT_ALG, { extractable: true });
    const kid = randomUUID();
    const privateJwk = JSON.stringify(await exportJWK(privateKey));
    await trx
      .insertInto("signing_keys")
      .values({
        kid,
        alg: JWT_ALG,
        private_jwk: encryption ? encryption.seal(kid, privateJwk) : privateJwk,
        public_jwk: JSON.stringify({ ...(await exportJWK(publicKey)), kid, alg: JWT_ALG, use: "sig" }),
        created_at: now().toISOString(),
        retired_at: null,
        verify_until: null,
      })
      .execute();
    return kid;
  };
  // A new active key; the keys active until now stop signing and verify for `overlapMs` more.
  const replaceActive = async (trx: Kysely<Database>, overlapMs: number): Promise<string> => {
    const at = now();
    const previous = await trx
      .selectFrom("signing_keys")
      .select("kid")
      .where("retired_at", "is", null)
      .execute();
    const kid = await insertKey(trx);
    if (previous.length > 0) {
      await trx
        .updateTable("signing_keys")
        .set({ retired_at: at.toISOString(), verify_until: new Date(at.getTime() + overlapMs).toISOString() })
        .where(
          "kid",
          "in",
          previous.map((p) => p.kid),
        )
        .execute();
    }
    return kid;
  };
  const usable = (k: LoadedKey) => !k.verifyUntil || k.verifyUntil.getTime() > now().getTime();

  const signingKeys: SigningKeys = {
    async active() {
      let key = newest(await keys());
      if (!key) {
        // Another process may have created the first key since this one loaded; only the first creates.
        await serialized(async (trx) => {
          const unretired = await trx
            .selectFrom("signing_keys")
            .select("kid")
            .where("retired_at", "is", null)
            .execute();
          if (unretired.length === 0) await insertKey(trx);
        });
        key = newest(await keys(true));
      }
      if (!key) throw new Error("no signing key could be created");
      if (policy && now().getTime() - new Date(key.createdAt).getTime() > policy.rotateAfterMs) {
        // Under the lock, so that of several replicas finding the key old only the first rotates.
        const { rotateAfterMs, overlapMs } = policy;
        rotating ??= serialized(async (trx) => {
          const current = await trx
            .selectFrom("signing_keys")
            .select("created_at")
            .where("retired_at", "is", null)
            .orderBy("created_at", "desc")
            .executeTakeFirst();
          if (!current || now().getTime() - new Date(current.created_at).getTime() > rotateAfterMs) {
            await replaceActive(trx, overlapMs());
          }
        })
          .then(() => keys(true))
          .finally(() => {
            rotating = undefined;
          });
        key = newest(await rotating) ?? key;
      }
      let privateKey = privateKeys.get(key.kid);
      if (!privateKey) {
        privateKey = (await importJWK(openPrivate(key.kid, key.storedPrivate), JWT_ALG)) as CryptoKey;
        privateKeys.set(key.kid, privateKey);
      }
      return { kid: key.kid, privateKey };
    },
    async publicKey(kid) {
      let key = (await keys()).get(kid);
      if (!key && KID_SHAPE.test(kid) && Date.now() - (unknownKids.get(kid) ?? 0) > UNKNOWN_KID_TTL_MS) {
        key = await lookUp(kid);
      }
      return key && usable(key) ? key.publicKey : undefined;
    },
    async jwks() {
      const all = await keys(true);
      return { keys: [...all.values()].filter(usable).map((k) => k.publicJwk) };
    },
    async rotate(overlapMs) {
      const kid = await serialized((trx) => replaceActive(trx, overlapMs));
      await keys(true);
      return kid;
    },
    async prepare() {
      const rows = await db.kysely.selectFrom("signing_keys").select(["kid", "private_jwk"]).execute();
      const stored = rows.map((r) => ({ kid: r.kid, binding: r.kid, stored: r.private_jwk }));
      // The update is conditional on the old value: replicas starting at once seal each key once.
      const storage = await sealStoredKeys(stored, encryption, async (key, sealed) => {
        const res = await db.kysely
          .updateTable("signing_keys")
          .set({ private_jwk: sealed })
          .where("kid", "=", key.kid)
          .where("private_jwk", "=", key.stored)
          .executeTakeFirst();
        return Number(res.numUpdatedRows);
      }).catch((err: unknown) => {
        throw asConfigError(err);
      });
      if (storage.sealed) cache = undefined;
      return storage;
    },
  };
  return signingKeys;
}
