import type { Kysely } from "kysely";
import type { KeyEncryption } from "../shared/key-encryption.js";
import type { IdentityTables } from "./tables.js";

/** IdpDeps is what the identity provider's modules need from their host: the database and a clock. */
export interface IdpDeps {
  db: Kysely<IdentityTables>;
  now: () => Date;
  /** Seals the provider's keys in `idp_keys`; without it they are stored in plain text. */
  keyEncryption?: KeyEncryption;
}
