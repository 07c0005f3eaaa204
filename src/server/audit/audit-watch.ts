import { Code, ConnectError } from "@connectrpc/connect";
import type { Kysely } from "kysely";
import type { Database } from "../store/schema.js";
import type { AuditFilter } from "./audit-filter.js";
import { PENDING_CODE } from "./audit-log-writer.js";
import { type AuditListRow, auditSelect } from "./audit-queries.js";

/** AUDIT_WATCH_POLL_MS is how often a watch looks for new rows. */
const AUDIT_WATCH_POLL_MS = 1000;
/**
 * AUDIT_WATCH_LAG_MS is how late a row may be stored after its time and still reach a watcher: rows
 * are written in batches, or by another replica, so each poll re-reads this window and skips the rows
 * it sent already.
 */
const AUDIT_WATCH_LAG_MS = 10_000;
/** A call still pending after this long keeps the window open no more; its outcome is not awaited. */
const PENDING_WAIT_MS = 5 * 60_000;
const BATCH = 500;

const ms = (iso: string) => new Date(iso).getTime();

/**
 * watchAuditRows yields the audit rows matching the filter as they are stored: first those since
 * `f.from` (none before the watch began when it is unset), oldest first, then each new one once. A
 * call still running (its row "pending") is sent with its outcome once it has one, unless the filter
 * asks for pending rows. It ends when `signal` aborts; a filter with an upper bound is InvalidArgument,
 * a watch has no end.
 */
export async function* watchAuditRows(
  db: Kysely<Database>,
  f: AuditFilter,
  now: () => Date,
  signal: AbortSignal,
): AsyncGenerator<AuditListRow> {
  if (f.to) throw new ConnectError("query.to: a watch has no end; leave it empty", Code.InvalidArgument);
  const start = f.from ?? now().toISOString();
  const awaitOutcome = !f.codes?.includes(PENDING_CODE);
  const query: AuditFilter = f.codes && awaitOutcome ? { ...f, codes: [...f.codes, PENDING_CODE] } : f;
  const sent = new Map<string, string>();
  const pending = new Map<string, string>();
  let newest = start;
  let after: [string, string] = [start, ""];
  while (!signal.aborted) {
    for (;;) {
      const [time, id] = after;
      const rows = await auditSelect(db, query)
        .where(({ eb, refTuple, tuple }) => eb(refTuple("time", "id"), ">", tuple(time, id)))
        .orderBy("time")
        .orderBy("id")
        .limit(BATCH)
        .execute();
      for (const row of rows) {
        if (row.time > newest) newest = row.time;
        if (sent.has(row.id)) continue;
        if (awaitOutcome && row.code === PENDING_CODE) {
          pending.set(row.id, row.time);
          continue;
        }
        pending.delete(row.id);
        sent.set(row.id, row.time);
        yield row;
      }
      const last = rows[rows.length - 1];
      if (!last || rows.length < BATCH || signal.aborted) break;
      after = [last.time, last.id];
    }
    await pause(AUDIT_WATCH_POLL_MS, signal);
    // The next poll starts at the lag window, or earlier at the oldest call still awaited.
    let floorMs = Math.max(ms(newest) - AUDIT_WATCH_LAG_MS, ms(start));
    for (const [id, time] of pending) {
      if (ms(time) < ms(newest) - PENDING_WAIT_MS) pending.delete(id);
      else floorMs = Math.min(floorMs, ms(time));
    }
    const floor = new Date(floorMs).toISOString();
    for (const [id, time] of sent) if (time < floor) sent.delete(id);
    after = [floor, ""];
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}
