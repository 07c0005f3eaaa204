import type { CatalogTables } from "./catalog-schema.js";
import type { FirewallTables } from "./firewall-schema.js";
import type { IdentityAndLoginTables } from "./identity-schema.js";
import type { MachineTables } from "./machine-schema.js";
import type { NetworkTables } from "./network-schema.js";
import type { TenancyTables } from "./tenancy-schema.js";
import type { TokenTables } from "./token-schema.js";

/**
 * Database is the full schema as Kysely sees it. Each area keeps its tables in its own
 * `*-schema.ts` file and is listed here; timestamps are ISO-8601 text and booleans 0/1 so both
 * dialects read them alike.
 */
export interface Database
  extends CatalogTables,
    FirewallTables,
    NetworkTables,
    MachineTables,
    TenancyTables,
    TokenTables,
    IdentityAndLoginTables {}
