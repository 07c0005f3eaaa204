import { Code } from "@connectrpc/connect";
import { sql } from "kysely";
import type { Tx } from "../../../src/server/catalog/resource-meta.js";
import { expectCode } from "../tenancy/expect-code.js";

/**
 * expectSecondWriterRefused runs `update` in two PostgreSQL transactions that both read the same
 * generation: the first writes and holds its transaction open until the second is blocked on its row
 * lock in `table`, then commits; the second must fail with FailedPrecondition and exactly `message`.
 * Only PostgreSQL runs writers concurrently, so call it on PostgreSQL only.
 */
export async function expectSecondWriterRefused(
  db: Tx,
  table: string,
  update: (trx: Tx) => Promise<unknown>,
  message: string,
): Promise<void> {
  let releaseFirst = () => {};
  const firstHolds = new Promise<void>((resolve) => {
    releaseFirst = resolve;
  });
  let firstWrote = () => {};
  const written = new Promise<void>((resolve) => {
    firstWrote = resolve;
  });
  const first = db.transaction().execute(async (trx) => {
    await update(trx);
    firstWrote();
    await firstHolds;
  });
  await written;
  // The check is attached at once: the refusal may arrive while the caller still awaits the first.
  let secondSettled = false;
  const second = db
    .transaction()
    .execute((trx) => update(trx))
    .finally(() => {
      secondSettled = true;
    });
  const escaped = message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const refused = expectCode(second, Code.FailedPrecondition, new RegExp(`^${escaped}$`));
  // Wait until the second writer is blocked on the first one's row lock, then let the first commit.
  while (!secondSettled) {
    const waiting = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock'
      and query like ${`update "${table}"%`}`.execute(db);
    if ((waiting.rows[0]?.n ?? 0) > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  releaseFirst();
  await first;
  await refused;
}
