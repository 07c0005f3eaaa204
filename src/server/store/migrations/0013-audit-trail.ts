import { type Kysely, sql } from "kysely";

/**
 * The audit trail is read by tenant, project, user, method, result code and request ID, newest first
 * and paged by (time, id): each filter gets an index ending in (time, id), so a filtered page on a
 * large log reads only its own rows, and failures get partial ones. Rows written before this migration learn their tenant and project
 * from the subject they named, where that project or tenant still exists.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const column of ["tenant", "project", "request_id"]) {
    await db.schema
      .alterTable("audit_log")
      .addColumn(column, "text", (c) => c.notNull().defaultTo(""))
      .execute();
  }
  await sql`UPDATE audit_log SET project = subject,
      tenant = (SELECT tenant_id FROM projects WHERE projects.id = audit_log.subject)
    WHERE subject IN (SELECT id FROM projects)`.execute(db);
  await sql`UPDATE audit_log SET tenant = subject
    WHERE project = '' AND subject IN (SELECT id FROM tenants)`.execute(db);
  await sql`UPDATE audit_log SET request_id = id`.execute(db);
  // (time, id) also serves the janitor's "older than" delete that audit_log_time_idx served.
  await db.schema.createIndex("audit_log_time_id_idx").on("audit_log").columns(["time", "id"]).execute();
  await db.schema.dropIndex("audit_log_time_idx").execute();
  await db.schema.dropIndex("audit_log_user_idx").execute();
  for (const column of ["user_id", "tenant", "project", "method", "code"]) {
    await db.schema
      .createIndex(`audit_log_${column}_time_idx`)
      .on("audit_log")
      .columns([column, "time", "id"])
      .execute();
  }
  await db.schema.createIndex("audit_log_request_idx").on("audit_log").column("request_id").execute();
  // Failed calls are few: small partial indexes let "what was denied", everywhere or in one tenant,
  // read only failures in time order. Queries repeat the literal `code <> 'ok'` so both dialects use them.
  await db.schema
    .createIndex("audit_log_failed_idx")
    .on("audit_log")
    .columns(["time", "id"])
    .where(sql.ref("code"), "<>", sql.lit("ok"))
    .execute();
  await db.schema
    .createIndex("audit_log_tenant_failed_idx")
    .on("audit_log")
    .columns(["tenant", "time", "id"])
    .where(sql.ref("code"), "<>", sql.lit("ok"))
    .execute();
}
