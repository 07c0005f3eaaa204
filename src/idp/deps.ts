import type { Kysely } from "kysely";
import type { IdentityTables } from "./tables.js";

/** IdpDeps is what the identity provider's modules need from their host: the database and a clock. */
export interface IdpDeps {
  db: Kysely<IdentityTables>;
  now: () => Date;
}
