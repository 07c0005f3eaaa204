import type { Kysely } from "kysely";

/** Local users, OIDC provider artefacts, signing keys, registered clients and OAuth login state. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("idp_users")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("must_change_password", "integer", (c) => c.notNull())
    .addColumn("roles", "text", (c) => c.notNull())
    .addColumn("locked", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("failed_logins", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("blocked_until", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("generation", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("idp_models")
    .addColumn("model", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("grant_id", "text")
    .addColumn("user_code", "text")
    .addColumn("uid", "text")
    .addColumn("expires_at", "text")
    .addPrimaryKeyConstraint("idp_models_pk", ["model", "id"])
    .execute();
  await db.schema.createIndex("idp_models_grant_idx").on("idp_models").column("grant_id").execute();
  await db.schema.createIndex("idp_models_uid_idx").on("idp_models").column("uid").execute();
  await db.schema.createIndex("idp_models_user_code_idx").on("idp_models").column("user_code").execute();
  await db.schema.createIndex("idp_models_expires_idx").on("idp_models").column("expires_at").execute();
  await db.schema
    .createTable("idp_keys")
    .addColumn("kid", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("material", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("idp_clients")
    .addColumn("client_id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("client_secret", "text", (c) => c.notNull())
    .addColumn("redirect_uris", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("login_state")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("login_state_expires_idx").on("login_state").column("expires_at").execute();
}
