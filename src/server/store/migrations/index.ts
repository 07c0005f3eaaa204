import type { Migration, MigrationProvider } from "kysely";
import * as tenancy from "./0001-tenancy.js";
import * as tokens from "./0002-tokens.js";
import * as invites from "./0003-invites.js";
import * as catalogNetwork from "./0004-catalog-network.js";
import * as machines from "./0005-machines.js";
import * as identity from "./0006-identity.js";
import * as idpConnectors from "./0007-idp-connectors.js";
import * as tenantAdmin from "./0008-tenant-admin.js";
import * as firewalls from "./0009-firewalls.js";
import * as machineManagement from "./0010-machine-management.js";
import * as expiryIndexes from "./0011-expiry-indexes.js";
import * as listOrder from "./0012-list-order.js";
import * as auditTrail from "./0013-audit-trail.js";
import * as ipAddressIndex from "./0014-ip-address-index.js";
import * as tokenLineage from "./0015-token-lineage.js";

/**
 * migrations lists every schema version in order. Append only: a released migration is never
 * edited, a change gets a new file with the next number.
 */
const migrations: Record<string, Migration> = {
  "0001-tenancy": tenancy,
  "0002-tokens": tokens,
  "0003-invites": invites,
  "0004-catalog-network": catalogNetwork,
  "0005-machines": machines,
  "0006-identity": identity,
  "0007-idp-connectors": idpConnectors,
  "0008-tenant-admin": tenantAdmin,
  "0009-firewalls": firewalls,
  "0010-machine-management": machineManagement,
  "0011-expiry-indexes": expiryIndexes,
  "0012-list-order": listOrder,
  "0013-audit-trail": auditTrail,
  "0014-ip-address-index": ipAddressIndex,
  "0015-token-lineage": tokenLineage,
};

/** migrationProvider hands the static list to Kysely's Migrator (no file-system scanning, bundle-safe). */
export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
