import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

// Stored keys that start with this are AES-256-GCM envelopes; plain values (JWK JSON, base64url) never do.
const PREFIX = "enc:v1:";
// Part of every derived key: changing it would make every stored envelope unreadable.
const HKDF_INFO = "metal-apiserver signing-key encryption v1";
const SALT_BYTES = 16;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * KeyEncryption seals stored private keys and opens them again, each bound to a `binding`: the key id,
 * plus table and kind where ids of different tables could meet.
 */
export interface KeyEncryption {
  /** seal encrypts `plaintext` for the row named by `binding` with a fresh salt and nonce. */
  seal(binding: string, plaintext: string): string;
  /** open decrypts a sealed value of the row `binding`; it throws KeyDecryptionError on any mismatch. */
  open(binding: string, stored: string): string;
}

/** KeyDecryptionError is a sealed value that does not open: wrong secret, altered bytes or another row's value. */
export class KeyDecryptionError extends Error {}

/** isSealed tells an encrypted stored key from a plain one written before encryption was set up. */
export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

/**
 * createKeyEncryption derives a per-value AES-256 key from `secret` with HKDF-SHA256 and a random
 * salt stored in the value. The additional data binds the format version and the binding, so a value
 * copied into another row does not open. The secret must be high-entropy (config enforces a length).
 */
export function createKeyEncryption(secret: string): KeyEncryption {
  const ikm = Buffer.from(secret, "utf8");
  const keyFor = (salt: Buffer) => Buffer.from(hkdfSync("sha256", ikm, salt, HKDF_INFO, 32));
  const aad = (binding: string) => Buffer.from(`${PREFIX}${binding}`, "utf8");
  return {
    seal(binding, plaintext) {
      const salt = randomBytes(SALT_BYTES);
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv("aes-256-gcm", keyFor(salt), nonce, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad(binding));
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      const parts = [salt, nonce, body, cipher.getAuthTag()].map((b) => b.toString("base64url"));
      return PREFIX + parts.join(".");
    },
    open(binding, stored) {
      const parts = isSealed(stored) ? stored.slice(PREFIX.length).split(".") : [];
      const [salt, nonce, body, tag] = parts.map((p) => Buffer.from(p, "base64url"));
      if (
        parts.length !== 4 ||
        !salt ||
        !nonce ||
        !body ||
        !tag ||
        salt.length !== SALT_BYTES ||
        nonce.length !== NONCE_BYTES ||
        tag.length !== TAG_BYTES
      ) {
        throw new KeyDecryptionError(`key ${binding}: stored value is not a valid encrypted key`);
      }
      try {
        const decipher = createDecipheriv("aes-256-gcm", keyFor(salt), nonce, { authTagLength: TAG_BYTES });
        decipher.setAAD(aad(binding));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
      } catch {
        // Node's message says nothing useful ("unable to authenticate data"); never pass key material on.
        throw new KeyDecryptionError(`key ${binding}: cannot decrypt it`);
      }
    },
  };
}

/** StoredKey is one stored private key as the start-up check sees it. */
export interface StoredKey {
  /** The key's id, named in errors. */
  kid: string;
  /** What its envelope is bound to (see KeyEncryption). */
  binding: string;
  /** The column value: an envelope, or the plain key written without a secret. */
  stored: string;
}

/** KeyStorage is how a table's keys are stored after `sealStoredKeys`. */
export interface KeyStorage {
  /** Whether a secret is set, so every key is (now) stored encrypted. */
  encrypted: boolean;
  /** How many plain keys this call encrypted (another replica may have done some). */
  sealed: number;
}

/**
 * StoredKeysReason says why stored keys cannot be used: sealed keys but no secret; no sealed key opens
 * (a wrong secret); some open and these do not (altered or copied rows); one key failed when used.
 */
export type StoredKeysReason = "no-secret" | "wrong-secret" | "altered" | "undecryptable";

/** StoredKeysError names the keys that cannot be opened and why; the host turns it into its own message. */
export class StoredKeysError extends Error {
  constructor(
    readonly reason: StoredKeysReason,
    readonly kids: string[],
  ) {
    super(`stored keys ${kids.join(", ")}: ${reason}`);
  }
}

/** openStoredKey returns a plain stored key as is and opens a sealed one; it throws StoredKeysError. */
export function openStoredKey(encryption: KeyEncryption | undefined, key: StoredKey): string {
  if (!isSealed(key.stored)) return key.stored;
  if (!encryption) throw new StoredKeysError("no-secret", [key.kid]);
  try {
    return encryption.open(key.binding, key.stored);
  } catch (err) {
    if (!(err instanceof KeyDecryptionError)) throw err;
    throw new StoredKeysError("undecryptable", [key.kid]);
  }
}

/**
 * sealStoredKeys runs once at start for one table: it refuses sealed keys it cannot open (StoredKeysError)
 * and, with `encryption`, seals the plain ones through `replace`, which must update the row only while it
 * still holds the old value and return how many rows it changed: replicas starting at once then seal each
 * key exactly once.
 */
export async function sealStoredKeys(
  keys: StoredKey[],
  encryption: KeyEncryption | undefined,
  replace: (key: StoredKey, sealed: string) => Promise<number>,
): Promise<KeyStorage> {
  const sealedKeys = keys.filter((k) => isSealed(k.stored));
  if (!encryption) {
    if (sealedKeys.length)
      throw new StoredKeysError(
        "no-secret",
        sealedKeys.map((k) => k.kid),
      );
    return { encrypted: false, sealed: 0 };
  }
  const failed = sealedKeys.filter((k) => {
    try {
      encryption.open(k.binding, k.stored);
      return false;
    } catch {
      return true;
    }
  });
  if (failed.length) {
    const reason = failed.length === sealedKeys.length ? "wrong-secret" : "altered";
    throw new StoredKeysError(
      reason,
      failed.map((k) => k.kid),
    );
  }
  let sealed = 0;
  for (const key of keys) {
    if (!isSealed(key.stored)) sealed += await replace(key, encryption.seal(key.binding, key.stored));
  }
  return { encrypted: true, sealed };
}
