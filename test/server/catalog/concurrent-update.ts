import { create } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { sql } from "kysely";
import { expect } from "vitest";
import { UpdateMetaSchema } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import type { Tx } from "../../../src/server/catalog/resource-meta.js";
import { expectCode } from "../tenancy/expect-code.js";

/**
 * raceTwoWriters runs `update` in two PostgreSQL transactions that start from the same stored row: the
 * first writes and holds its transaction open until the second is blocked on the row lock in `table`,
 * then commits. It returns the second writer's result (or rejection) for the caller to check. Only
 * PostgreSQL runs writers concurrently, so call it on PostgreSQL only.
 */
async function raceTwoWriters(
  db: Tx,
  table: string,
  update: (trx: Tx) => Promise<unknown>,
): Promise<unknown> {
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
  let secondSettled = false;
  const second = db
    .transaction()
    .execute((trx) => update(trx))
    .finally(() => {
      secondSettled = true;
    });
  // Attached at once: the second may settle while the first is still being awaited.
  second.catch(() => {});
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
  return second;
}

/**
 * expectConcurrentUpdates checks the optimistic-locking contract with two overlapping writers: naming
 * no generation (0) both win, the last one last; naming the generation both read, the second fails
 * with FailedPrecondition naming `what` and both generations. `update` gets the generation to send.
 * Afterwards the row's generation has moved by three.
 */
export async function expectConcurrentUpdates(
  db: Tx,
  table: string,
  what: string,
  stored: () => Promise<bigint | undefined>,
  update: (trx: Tx, updateMeta: ReturnType<typeof generation>) => Promise<unknown>,
): Promise<void> {
  const start = (await stored()) ?? 0n;
  await expect(raceTwoWriters(db, table, (trx) => update(trx, generation(0n)))).resolves.toBeDefined();
  expect(await stored()).toBe(start + 2n);
  const read = start + 2n;
  const escaped = `${what} was changed by someone else (generation ${read + 1n}, you read ${read}); read it again`;
  await expectCode(
    raceTwoWriters(db, table, (trx) => update(trx, generation(read))),
    Code.FailedPrecondition,
    new RegExp(`^${escaped.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`),
  );
  expect(await stored()).toBe(start + 3n);
}

function generation(n: bigint) {
  return create(UpdateMetaSchema, { generation: n });
}
