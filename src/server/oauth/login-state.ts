import { sql } from "kysely";
import type { Db } from "../store/db.js";

/**
 * LoginStateStore keeps short-lived login state (pending authorizations, codes, device codes,
 * failure counters) where every server replica sees it: the database by default, Redis in
 * production. Values are JSON; expired entries behave as absent.
 */
export interface LoginStateStore {
  put(key: string, value: unknown, ttlMs: number): Promise<void>;
  get<T>(key: string): Promise<T | undefined>;
  /** take reads and deletes an entry atomically: of concurrent callers, exactly one gets it. */
  take<T>(key: string): Promise<T | undefined>;
  delete(key: string): Promise<void>;
  /** increment adds one to a counter that starts at 1 and expires `ttlMs` after its first increment. */
  increment(key: string, ttlMs: number): Promise<number>;
}

/** createSqlLoginStateStore keeps login state in the `login_state` table. */
export function createSqlLoginStateStore(db: Db, now: () => Date): LoginStateStore {
  const k = db.kysely;
  let writes = 0;
  const sweep = async () => {
    // Expired rows are removed every 100 writes rather than by a timer that would keep the process alive.
    if (++writes % 100 === 0)
      await k.deleteFrom("login_state").where("expires_at", "<=", now().toISOString()).execute();
  };
  const expiry = (ttlMs: number) => new Date(now().getTime() + ttlMs).toISOString();
  return {
    async put(key, value, ttlMs) {
      const row = { key, value: JSON.stringify(value), expires_at: expiry(ttlMs) };
      await k
        .insertInto("login_state")
        .values(row)
        .onConflict((oc) => oc.column("key").doUpdateSet({ value: row.value, expires_at: row.expires_at }))
        .execute();
      await sweep();
    },
    async get<T>(key: string) {
      const row = await k
        .selectFrom("login_state")
        .select("value")
        .where("key", "=", key)
        .where("expires_at", ">", now().toISOString())
        .executeTakeFirst();
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    async take<T>(key: string) {
      const row = await k
        .deleteFrom("login_state")
        .where("key", "=", key)
        .returning(["value", "expires_at"])
        .executeTakeFirst();
      if (!row || row.expires_at <= now().toISOString()) return undefined;
      return JSON.parse(row.value) as T;
    },
    async delete(key) {
      await k.deleteFrom("login_state").where("key", "=", key).execute();
    },
    async increment(key, ttlMs) {
      for (;;) {
        const current = now().toISOString();
        const bumped = await k
          .updateTable("login_state")
          .set({ value: sql<string>`CAST(CAST(value AS INTEGER) + 1 AS TEXT)` })
          .where("key", "=", key)
          .where("expires_at", ">", current)
          .returning("value")
          .executeTakeFirst();
        if (bumped) return Number(bumped.value);
        const fresh = await k
          .insertInto("login_state")
          .values({ key, value: "1", expires_at: expiry(ttlMs) })
          .onConflict((oc) =>
            oc
              .column("key")
              .doUpdateSet({ value: "1", expires_at: expiry(ttlMs) })
              .where("login_state.expires_at", "<=", current),
          )
          .returning("value")
          .executeTakeFirst();
        if (fresh) return 1;
      }
    },
  };
}
