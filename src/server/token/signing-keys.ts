import { randomUUID } from "node:crypto";
import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import {
  createKeyEncryption,
  type KeyStorage,
  openStoredKey,
  StoredKeysError,
  sealStoredKeys,
} from "../../shared/key-encryption.js";
import type { SigningKeySecret } from "../config.js";
import type { Db } from "../store/db.js";
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

// An unknown kid triggers a reload (another replica may have rotated), at most this often.
const RELOAD_INTERVAL_MS = 5_000;

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
  let rotating: Promise<string> | undefined;
  let cache: Map<string, LoadedKey> | undefined;
  let loadedAt = 0;
  let loading: Promise<Map<string, LoadedKey>> | undefined;
  const privateKeys = new Map<string, CryptoKey>();

  const load = async (): Promise<Map<string, LoadedKey>> => {
    const rows = await db.kysely.selectFrom("signing_keys").selectAll().execute();
    const next = new Map<string, LoadedKey>();
    for (const row of rows) {
      const publicJwk = JSON.parse(row.public_jwk) as JWK;
      next.set(row.kid, {
        kid: row.kid,
        createdAt: row.created_at,
        retired: row.retired_at !== null,
        verifyUntil: row.verify_until ? new Date(row.verify_until) : undefined,
        publicJwk,
        publicKey: (await importJWK(publicJwk, JWT_ALG)) as CryptoKey,
        storedPrivate: row.private_jwk,
      });
    }
    cache = next;
    loadedAt = Date.now();
    return next;
  };
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
  const insertKey = async (): Promise<string> => {
    const { publicKey, privateKey } = await generateKeyPair(JWT_ALG, { extractable: true });
    const kid = randomUUID();
    const privateJwk = JSON.stringify(await exportJWK(privateKey));
    await db.kysely
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
  const usable = (k: LoadedKey) => !k.verifyUntil || k.verifyUntil.getTime() > now().getTime();

  const signingKeys: SigningKeys = {
    async active() {
      let key = newest(await keys());
      if (!key) {
        await insertKey();
        key = newest(await keys(true));
      }
      if (!key) throw new Error("no signing key could be created");
      if (policy && now().getTime() - new Date(key.createdAt).getTime() > policy.rotateAfterMs) {
        rotating ??= signingKeys.rotate(policy.overlapMs()).finally(() => {
          rotating = undefined;
        });
        await rotating;
        key = newest(await keys()) ?? key;
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
      if (!key && Date.now() - loadedAt > RELOAD_INTERVAL_MS) key = (await keys(true)).get(kid);
      return key && usable(key) ? key.publicKey : undefined;
    },
    async jwks() {
      const all = await keys(true);
      return { keys: [...all.values()].filter(usable).map((k) => k.publicJwk) };
    },
    async rotate(overlapMs) {
      const at = now();
      const previous = newest(await keys(true));
      const kid = await insertKey();
      if (previous) {
        await db.kysely
          .updateTable("signing_keys")
          .set({
            retired_at: at.toISOString(),
            verify_until: new Date(at.getTime() + overlapMs).toISOString(),
          })
          .where("kid", "=", previous.kid)
          .execute();
      }
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
