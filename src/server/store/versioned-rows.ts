import { Code, ConnectError } from "@connectrpc/connect";
import type { Kysely } from "kysely";
import type { Database } from "./schema.js";

/** VersionedTable is a table whose rows carry the optimistic-locking `generation` column. */
export type VersionedTable =
  | "tenants"
  | "projects"
  | "images"
  | "filesystem_layouts"
  | "partitions"
  | "sizes"
  | "networks"
  | "ips"
  | "machines"
  | "firewall_rules";

/** RowKey names the rows to lock: a key column and its value. */
export interface RowKey {
  column: "id" | "address" | "machine_id";
  value: string;
}

/**
 * lockForUpdate is the first step of every update of a versioned row: it takes the write lock of the
 * rows `key` selects until the transaction ends and tells whether there is one. Read the row after
 * it, in the same transaction: on PostgreSQL (READ COMMITTED) that read sees every change committed
 * before the lock was granted, and no other writer can change the row until commit, so the
 * generation check (`checkGeneration`) and the write that follows see the same version.
 *
 * Why a no-op UPDATE instead of SELECT … FOR UPDATE: it is the same statement on both dialects. On
 * SQLite it takes the database write lock at once, so a deferred transaction never has to upgrade a
 * read lock later (which fails with SQLITE_BUSY under contention).
 */
export async function lockForUpdate(
  trx: Kysely<Database>,
  table: VersionedTable,
  key: RowKey,
): Promise<boolean> {
  // Kysely cannot type a query over a union of table names; every versioned table has these columns.
  const t = trx as unknown as Kysely<
    Record<string, { generation: number } & Record<RowKey["column"], string>>
  >;
  const res = await t
    .updateTable(table)
    .set((eb) => ({ generation: eb.ref("generation") }))
    .where(key.column, "=", key.value)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/**
 * checkGeneration is the one optimistic-locking rule, applied to a row read after lockForUpdate: an
 * `expected` generation of 0 (or none) skips the check, so the last writer wins; any other value must
 * equal the stored one, else FailedPrecondition. `what` names the resource, e.g. `project "p1"`.
 */
export function checkGeneration(what: string, stored: number, expected: bigint | number | undefined): void {
  const wanted = BigInt(expected ?? 0);
  if (wanted !== 0n && wanted !== BigInt(stored)) {
    throw new ConnectError(
      `${what} was changed by someone else (generation ${stored}, you read ${wanted}); read it again`,
      Code.FailedPrecondition,
    );
  }
}
