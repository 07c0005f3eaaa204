import { type Kysely, sql } from "kysely";

/**
 * Tokens keep the id of their lineage — the token as first issued, which refreshes carry on — and the
 * parent column names the lineage of the creating API token, so revoking a token also revokes every
 * token created from it and their refreshed successors. A row written before is its own lineage.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("tokens").addColumn("lineage_id", "text").execute();
  await sql`update tokens set lineage_id = id`.execute(db);
  await db.schema.createIndex("tokens_lineage_idx").on("tokens").column("lineage_id").execute();
  await db.schema.createIndex("tokens_parent_idx").on("tokens").column("parent_id").execute();
}
