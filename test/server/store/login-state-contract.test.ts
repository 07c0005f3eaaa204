import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSqlLoginStateStore, type LoginStateStore } from "../../../src/server/oauth/login-state.js";
import { createRedisLoginStateStore } from "../../../src/server/redis/login-state-store.js";
import { openDatabase } from "../../../src/server/store/db.js";
import { migrateToLatest } from "../../../src/server/store/migrate.js";
import { postgresAvailable, redisAvailable } from "../../helpers/components.js";
import { createPostgresDatabase, REDIS_TEST_URL } from "../../helpers/databases.js";
import { deleteRedisPrefix } from "../../helpers/redis.js";

const withPostgres = await postgresAvailable();
const withRedis = await redisAvailable();

interface StoreUnderTest {
  store: LoginStateStore;
  close(): Promise<void>;
}

const implementations: [string, boolean, () => Promise<StoreUnderTest>][] = [
  [
    "SQL on SQLite",
    true,
    async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "metal-login-"));
      const db = openDatabase({ databaseUrl: "", dataDir });
      await migrateToLatest(db);
      return {
        store: createSqlLoginStateStore(db, () => new Date()),
        close: async () => {
          await db.close();
          fs.rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
  ],
  [
    "SQL on PostgreSQL",
    withPostgres,
    async () => {
      const database = await createPostgresDatabase();
      const db = openDatabase({ databaseUrl: database.url, dataDir: "" });
      await migrateToLatest(db);
      return {
        store: createSqlLoginStateStore(db, () => new Date()),
        close: async () => {
          await db.close();
          await database.drop();
        },
      };
    },
  ],
  [
    "Redis",
    withRedis,
    async () => {
      const redis = new Redis(REDIS_TEST_URL);
      const prefix = `metal-test-${crypto.randomBytes(6).toString("hex")}:`;
      return {
        store: createRedisLoginStateStore(redis, () => new Date(), prefix),
        close: async () => {
          await deleteRedisPrefix(redis, prefix);
          redis.disconnect();
        },
      };
    },
  ],
];

const MINUTE = 60_000;

describe.each(implementations)("LoginStateStore contract: %s", (_name, available, open) => {
  let store: LoginStateStore;
  let sut: StoreUnderTest | undefined;
  beforeAll(async () => {
    if (!available) return;
    sut = await open();
    store = sut.store;
  });
  afterAll(async () => {
    await sut?.close();
  });
  const key = () => `k-${crypto.randomUUID()}`;

  it.runIf(available)("stores JSON values, overwrites on put, and forgets on delete", async () => {
    const k = key();
    expect(await store.get(k)).toBeUndefined();
    await store.put(k, { state: "abc", n: 1, list: [1, 2], nested: {} }, MINUTE);
    expect(await store.get(k)).toEqual({ state: "abc", n: 1, list: [1, 2], nested: {} });
    await store.put(k, "second", MINUTE);
    expect(await store.get(k)).toBe("second");
    await store.delete(k);
    expect(await store.get(k)).toBeUndefined();
  });

  it.runIf(available)("take returns an entry once, to exactly one of concurrent callers", async () => {
    const k = key();
    await store.put(k, { code: "c1" }, MINUTE);
    const takes = await Promise.all(Array.from({ length: 6 }, () => store.take<{ code: string }>(k)));
    expect(takes.filter((t) => t !== undefined)).toEqual([{ code: "c1" }]);
    expect(await store.get(k)).toBeUndefined();
  });

  it.runIf(available)("treats expired entries as absent", async () => {
    const k = key();
    await store.put(k, "short", 30);
    await new Promise((r) => setTimeout(r, 80));
    expect(await store.get(k)).toBeUndefined();
    expect(await store.take(k)).toBeUndefined();
  });

  it.runIf(available)("counts up from 1 and restarts after the window", async () => {
    const k = key();
    expect(await store.increment(k, MINUTE)).toBe(1);
    expect(await store.increment(k, MINUTE)).toBe(2);
    expect(await store.get<number>(k)).toBe(2);
    const counts = await Promise.all(Array.from({ length: 5 }, () => store.increment(k, MINUTE)));
    expect(counts.sort((a, b) => a - b)).toEqual([3, 4, 5, 6, 7]);
    const w = key();
    expect(await store.increment(w, 30)).toBe(1);
    await new Promise((r) => setTimeout(r, 80));
    expect(await store.increment(w, 30)).toBe(1);
  });
});
