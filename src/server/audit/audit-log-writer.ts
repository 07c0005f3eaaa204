import type { Logger } from "../log.js";
import type { Db } from "../store/db.js";
import type { AuditLogRow } from "../store/token-schema.js";
import { auditInsert } from "./audit-insert.js";

/** PENDING_CODE marks an audit row written before its call ran; the outcome replaces it afterwards. */
export const PENDING_CODE = "pending";

const BATCH_ROWS = 200;
const BATCH_DELAY_MS = 250;
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 5_000;
/** At most this many rows wait in memory while the database is away; past it audited calls are refused. */
const MAX_QUEUED_ROWS = 100_000;

/**
 * AuditLogWriter stores audit rows in batches and never throws one away while the process lives: a
 * batch that fails is retried (with backoff) until the database takes it. Rows are upserted by id, so a
 * retry of a batch that was in fact committed, or the outcome of a call whose "pending" row was stored
 * before it ran, only updates code and duration.
 */
export interface AuditLogWriter {
  /**
   * store writes `row` with the next batch, at once, and resolves when it is committed; it rejects
   * when it cannot be, and the row is then not kept. Calls that change something store their row
   * (code "pending") this way before they run, so none runs without one.
   */
  store(row: AuditLogRow): Promise<void>;
  /** record queues `row` (an outcome, or a call that changes nothing) for the next batch. */
  record(row: AuditLogRow): void;
  /** full tells whether so many rows wait for a database that is away that new calls must be refused. */
  full(): boolean;
  /**
   * close writes what is queued, retrying until `deadline` (epoch ms), then stops; it resolves to the
   * number of rows it could not write (logged as an error).
   */
  close(deadline: number): Promise<number>;
}

interface Waiter {
  row: AuditLogRow;
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * createAuditLogWriter batches audit rows into `db` every 250 ms or 200 rows (at once for stored rows);
 * `log` is read when there is something to say, so a context may replace its logger after building it.
 */
export function createAuditLogWriter(db: Db, log: () => Logger): AuditLogWriter {
  let queue: AuditLogRow[] = [];
  const waiters: Waiter[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let retryMs = 0;
  let failing = false;
  let closed = false;

  const write = async (rows: AuditLogRow[]) => {
    // A retried batch or a call's outcome may repeat an id; one statement must not name it twice.
    const byId = new Map(rows.map((r) => [r.id, r]));
    await db.kysely.executeQuery(auditInsert(db.dialect, [...byId.values()]));
  };

  // One batch at a time: rows that must be stored now first, then queued ones. A failure ends the
  // round; the queued rows go back to the front and wait for the retry timer.
  const drain = async () => {
    do {
      const now = waiters.splice(0, BATCH_ROWS);
      const later = queue.splice(0, BATCH_ROWS - now.length);
      try {
        await write([...now.map((w) => w.row), ...later]);
      } catch (err) {
        for (const w of now) w.reject(err);
        queue = [...later, ...queue];
        if (!failing) {
          log().error("audit log write failed; keeping the rows and retrying", {
            error: (err as Error).message,
            queued: queue.length,
          });
        }
        failing = true;
        retryMs = Math.min(Math.max(retryMs * 2, RETRY_FIRST_MS), RETRY_MAX_MS);
        return;
      }
      for (const w of now) w.resolve();
      if (failing) log().info("audit log writes work again", { queued: queue.length });
      failing = false;
      retryMs = 0;
    } while (waiters.length > 0 || queue.length >= BATCH_ROWS || (closed && queue.length > 0));
  };
  const kick = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    running ??= drain().finally(() => {
      running = undefined;
      if (waiters.length > 0) void kick();
      else if (queue.length > 0) schedule();
    });
    return running;
  };
  // While close() runs, it drives the writes itself.
  const schedule = () => {
    if (running || closed) return;
    if (!failing && queue.length >= BATCH_ROWS) void kick();
    else timer ??= setTimeout(kick, failing ? retryMs : BATCH_DELAY_MS).unref();
  };

  return {
    store(row) {
      if (closed) return Promise.reject(new Error("the audit log writer is closed"));
      return new Promise<void>((resolve, reject) => {
        waiters.push({ row, resolve, reject });
        void kick();
      });
    },
    record(row) {
      queue.push(row);
      schedule();
    },
    full: () => queue.length >= MAX_QUEUED_ROWS,
    async close(deadline) {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      while ((queue.length > 0 || waiters.length > 0 || running) && Date.now() < deadline) {
        await kick();
        if (failing) await new Promise((r) => setTimeout(r, RETRY_FIRST_MS));
      }
      const lost = queue.length + waiters.length;
      for (const w of waiters.splice(0)) w.reject(new Error("the audit log writer is closed"));
      if (lost > 0) log().error("audit rows could not be written before shutdown", { rows: lost });
      return lost;
    },
  };
}
