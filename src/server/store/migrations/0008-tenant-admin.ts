import type { Kysely } from "kysely";

/** Tenant admins (the solution-admin role) manage every tenant and its members, but no infrastructure. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("users")
    .addColumn("tenant_admin", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}
