import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

// Stored private keys that start with this are AES-256-GCM envelopes; plain JWK JSON starts with "{".
const PREFIX = "enc:v1:";
const HKDF_INFO = "metal-apiserver signing-key encryption v1";
const SALT_BYTES = 16;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** KeyEncryption seals private signing keys for storage and opens them again, bound to their key id. */
export interface KeyEncryption {
  /** seal encrypts `plaintext` for the row of `kid` with a fresh salt and nonce. */
  seal(kid: string, plaintext: string): string;
  /** open decrypts a sealed value of the row `kid`; it throws KeyDecryptionError on any mismatch. */
  open(kid: string, stored: string): string;
}

/** KeyDecryptionError is a sealed value that does not open: wrong secret, altered bytes or another row's value. */
export class KeyDecryptionError extends Error {}

/** isSealed tells an encrypted stored private key from a plain JWK written before encryption was set up. */
export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

/**
 * createKeyEncryption derives a per-value AES-256 key from `secret` with HKDF-SHA256 and a random
 * salt stored in the value. The additional data binds the format version and the key id, so a value
 * copied into another row does not open. The secret must be high-entropy (config enforces a length).
 */
export function createKeyEncryption(secret: string): KeyEncryption {
  const ikm = Buffer.from(secret, "utf8");
  const keyFor = (salt: Buffer) => Buffer.from(hkdfSync("sha256", ikm, salt, HKDF_INFO, 32));
  const aad = (kid: string) => Buffer.from(`${PREFIX}${kid}`, "utf8");
  return {
    seal(kid, plaintext) {
      const salt = randomBytes(SALT_BYTES);
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv("aes-256-gcm", keyFor(salt), nonce, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad(kid));
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      const parts = [salt, nonce, body, cipher.getAuthTag()].map((b) => b.toString("base64url"));
      return PREFIX + parts.join(".");
    },
    open(kid, stored) {
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
        throw new KeyDecryptionError(`signing key ${kid}: stored value is not a valid encrypted key`);
      }
      try {
        const decipher = createDecipheriv("aes-256-gcm", keyFor(salt), nonce, { authTagLength: TAG_BYTES });
        decipher.setAAD(aad(kid));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
      } catch {
        // Node's message says nothing useful ("unable to authenticate data"); never pass key material on.
        throw new KeyDecryptionError(`signing key ${kid}: cannot decrypt it`);
      }
    },
  };
}
