import type { Kysely } from "kysely";

/** Login connectors added by operators at run time (LDAP, upstream OpenID providers). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("idp_connectors")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("config", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
}
