import { type Kysely, sql } from "kysely";
import { addressKey, parseAddress } from "../../ipam/cidr.js";

/**
 * Network and IP lists page by keyset in their display order, so that order needs an index:
 * networks by (project, name, id), IPs by network and numeric address. Address text does not sort
 * numerically (10.0.0.10 before 10.0.0.2), so IPs get `address_key`, the family and the value as
 * fixed-width hex, which does.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("ips")
    .addColumn("address_key", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  const rows = await sql<{ id: string; address: string }>`SELECT id, address FROM ips`.execute(db);
  for (const row of rows.rows) {
    const address = parseAddress(row.address);
    if (!address) throw new Error(`ip ${row.id}: stored address "${row.address}" is not an IP address`);
    await sql`UPDATE ips SET address_key = ${addressKey(address)} WHERE id = ${row.id}`.execute(db);
  }
  await db.schema
    .createIndex("ips_network_key_uq")
    .on("ips")
    .columns(["network_id", "address_key"])
    .unique()
    .execute();
  // (project, network_id, address_key) serves what ips_project_idx (project, network_id) served.
  await db.schema
    .createIndex("ips_project_key_idx")
    .on("ips")
    .columns(["project", "network_id", "address_key"])
    .execute();
  await db.schema.dropIndex("ips_project_idx").execute();
  await db.schema
    .createIndex("networks_list_idx")
    .on("networks")
    .columns(["project", "name", "id"])
    .execute();
}
