import type { Kysely, Transaction } from "kysely";
import type { Dialect } from "../store/db.js";
import type { Database } from "../store/schema.js";

/** Trx is an open database transaction over the full schema. */
export type Trx = Transaction<Database>;

/** Executor is anything queries can run on: the database itself or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;

/**
 * lockRow takes a row lock on one tenant or project for the rest of the transaction, so membership
 * checks such as "is this the last owner" cannot race on PostgreSQL. SQLite needs none: it runs one
 * write transaction at a time.
 */
export async function lockRow(
  trx: Trx,
  dialect: Dialect,
  table: "tenants" | "projects",
  id: string,
): Promise<void> {
  if (dialect !== "postgres") return;
  await trx.selectFrom(table).select("id").where("id", "=", id).forUpdate().execute();
}

/** isForeignKeyViolation tells whether a driver error is a foreign-key constraint failure (SQLite or PostgreSQL). */
export function isForeignKeyViolation(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === "SQLITE_CONSTRAINT_FOREIGNKEY" || code === "23503";
}

/** isUniqueViolation tells whether a driver error is a unique or primary-key violation (SQLite or PostgreSQL). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "23505";
}
