import type { Kysely } from "kysely";

/**
 * Tenant and project invites (single-use secrets stored as hashes), plus the indexes the tenancy
 * lists and the unique project name per tenant rely on.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("tenant_invites")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id").onDelete("cascade"))
    .addColumn("role", "integer", (c) => c.notNull())
    .addColumn("secret_hash", "text", (c) => c.notNull().unique())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("accepted_by", "text")
    .addColumn("accepted_at", "text")
    .execute();
  await db.schema.createIndex("tenant_invites_tenant_idx").on("tenant_invites").column("tenant_id").execute();
  await db.schema
    .createTable("project_invites")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("project_id", "text", (c) => c.notNull().references("projects.id").onDelete("cascade"))
    .addColumn("role", "integer", (c) => c.notNull())
    .addColumn("secret_hash", "text", (c) => c.notNull().unique())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("accepted_by", "text")
    .addColumn("accepted_at", "text")
    .execute();
  await db.schema
    .createIndex("project_invites_project_idx")
    .on("project_invites")
    .column("project_id")
    .execute();
  await db.schema
    .createIndex("projects_tenant_name_uq")
    .on("projects")
    .columns(["tenant_id", "name"])
    .unique()
    .execute();
  await db.schema.createIndex("projects_name_idx").on("projects").column("name").execute();
  await db.schema.createIndex("tenants_name_idx").on("tenants").column("name").execute();
}
