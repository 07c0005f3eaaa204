import type { Kysely } from "kysely";

/**
 * The janitor deletes expired tokens, refresh tokens and invites by their expiry; these indexes let
 * it find them without reading every row (login_state, idp_models and audit_log have theirs).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ["tokens", "refresh_tokens", "tenant_invites", "project_invites"]) {
    await db.schema.createIndex(`${table}_expires_idx`).on(table).column("expires_at").execute();
  }
}
