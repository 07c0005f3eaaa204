import { type Kysely, sql } from "kysely";
import type { Database } from "./schema.js";

/** PRUNE_BATCH is how many rows one DELETE removes, so a long backlog never holds the write lock for long. */
export const PRUNE_BATCH = 1000;

/** PruneTarget names rows to delete: those of `table` whose `column` (ISO text) lies before `before`. */
export interface PruneTarget {
  table: keyof Database;
  /** Primary key columns; the batches select by them. */
  key: string[];
  column: string;
  before: Date;
}

/**
 * deleteBefore deletes the rows of a PruneTarget in batches of PRUNE_BATCH and returns how many it
 * deleted; `signal` stops it between batches. Replicas may run it at once: each row goes once, so
 * their counts add up to what was there. Rows whose column is NULL never match.
 */
export async function deleteBefore(
  db: Kysely<Database>,
  t: PruneTarget,
  signal?: AbortSignal,
): Promise<number> {
  const key = sql.join(t.key.map((c) => sql.ref(c)));
  const keyExpr = t.key.length === 1 ? key : sql`(${key})`;
  let total = 0;
  for (;;) {
    const res = await sql`
      DELETE FROM ${sql.table(t.table)} WHERE ${keyExpr} IN (
        SELECT ${key} FROM ${sql.table(t.table)} WHERE ${sql.ref(t.column)} < ${t.before.toISOString()}
        LIMIT ${PRUNE_BATCH})`.execute(db);
    const n = Number(res.numAffectedRows ?? 0n);
    total += n;
    if (n < PRUNE_BATCH || signal?.aborted) return total;
  }
}
