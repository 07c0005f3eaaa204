import type { Kysely } from "kysely";

/** Signing keys, token grants, refresh tokens and the audit log: what authentication reads and writes. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("signing_keys")
    .addColumn("kid", "text", (c) => c.primaryKey())
    .addColumn("alg", "text", (c) => c.notNull())
    .addColumn("private_jwk", "text", (c) => c.notNull())
    .addColumn("public_jwk", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("retired_at", "text")
    .addColumn("verify_until", "text")
    .execute();
  await db.schema
    .createTable("tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("permissions", "text", (c) => c.notNull())
    .addColumn("project_roles", "text", (c) => c.notNull())
    .addColumn("tenant_roles", "text", (c) => c.notNull())
    .addColumn("admin_role", "integer", (c) => c.notNull())
    .addColumn("issued_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("revoked_at", "text")
    .addColumn("parent_id", "text")
    .addColumn("not_after", "text")
    .addColumn("session_id", "text")
    .addColumn("generation", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("tokens_user_idx").on("tokens").column("user_id").execute();
  await db.schema.createIndex("tokens_session_idx").on("tokens").column("session_id").execute();
  await db.schema
    .createTable("refresh_tokens")
    .addColumn("hash", "text", (c) => c.primaryKey())
    .addColumn("session_id", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("client", "text", (c) => c.notNull())
    .addColumn("issued_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .addColumn("revoked_at", "text")
    .execute();
  await db.schema
    .createIndex("refresh_tokens_session_idx")
    .on("refresh_tokens")
    .column("session_id")
    .execute();
  await db.schema
    .createTable("audit_log")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("time", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("token_id", "text", (c) => c.notNull())
    .addColumn("method", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("code", "text", (c) => c.notNull())
    .addColumn("duration_ms", "integer", (c) => c.notNull())
    .addColumn("client_address", "text", (c) => c.notNull())
    .addColumn("request", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("audit_log_time_idx").on("audit_log").column("time").execute();
  await db.schema.createIndex("audit_log_user_idx").on("audit_log").column("user_id").execute();
}
