import type { StoredKeysError } from "../shared/key-encryption.js";
import { ConfigError, SIGNING_KEY_SECRET_SETTING, type SigningKeySecret } from "./config.js";

/** KeyTable names a table of stored private keys in messages. */
export interface KeyTable {
  /** e.g. "signing keys" */
  keys: string;
  /** e.g. "signing key" */
  key: string;
  /** What deleting one of its keys costs. */
  loss: string;
}

/** SIGNING_KEY_TABLE is the server's JWT signing keys (`signing_keys`). */
export const SIGNING_KEY_TABLE: KeyTable = {
  keys: "signing keys",
  key: "signing key",
  loss: "tokens it signed stop verifying",
};

/** IDP_KEY_TABLE is the embedded identity provider's ID-token signing and cookie keys (`idp_keys`). */
export const IDP_KEY_TABLE: KeyTable = {
  keys: "identity provider keys",
  key: "identity provider key",
  loss: "logins in progress and single sign-on sessions it signed end",
};

/**
 * storedKeysError turns a StoredKeysError of `table` into the ConfigError main prints: it names the keys
 * and the setting of the secret, never the secret or key material.
 */
export function storedKeysError(
  err: StoredKeysError,
  table: KeyTable,
  secret: SigningKeySecret | undefined,
): ConfigError {
  const kids = err.kids.join(", ");
  if (err.reason === "no-secret" || !secret) {
    return new ConfigError(
      `the ${table.keys} in the database are encrypted, but no key-encryption secret is set: start with ${SIGNING_KEY_SECRET_SETTING} naming the secret they were encrypted with`,
    );
  }
  if (err.reason === "wrong-secret") {
    return new ConfigError(
      `the ${table.keys} in the database cannot be decrypted with the secret from ${secret.setting}: it is not the secret they were encrypted with (or the rows were altered); start with that secret`,
    );
  }
  if (err.reason === "altered") {
    return new ConfigError(
      `${table.key} ${kids} cannot be decrypted with the secret from ${secret.setting} although the others can: the row was altered or copied from another key; restore it from a backup or delete it (${table.loss})`,
    );
  }
  return new ConfigError(
    `${table.key} ${kids} cannot be decrypted with the secret from ${secret.setting}: the secret is not the one it was encrypted with, or the row was altered`,
  );
}
