import type { Kysely } from "kysely";

/**
 * Firewalls are machines whose current allocation has a firewall_rules row; the row carries the
 * allocation id so a stale row of an earlier allocation never makes a machine a firewall.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("firewall_rules")
    .addColumn("machine_id", "text", (c) => c.primaryKey().references("machines.id").onDelete("cascade"))
    .addColumn("allocation_id", "text", (c) => c.notNull())
    .addColumn("project", "text", (c) => c.notNull())
    .addColumn("rules", "text", (c) => c.notNull())
    .addColumn("generation", "integer", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("firewall_rules_project_idx").on("firewall_rules").column("project").execute();
}
