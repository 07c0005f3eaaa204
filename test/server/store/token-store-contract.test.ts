import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createRedisTokenStore } from "../../../src/server/redis/token-store.js";
import { type Db, openDatabase } from "../../../src/server/store/db.js";
import { migrateToLatest } from "../../../src/server/store/migrate.js";
import { createSqlTokenStore } from "../../../src/server/token/sql-token-store.js";
import type { RefreshRecord, TokenRecord, TokenStore } from "../../../src/server/token/token-store.js";
import { postgresAvailable, redisAvailable } from "../../helpers/components.js";
import { createPostgresDatabase, REDIS_TEST_URL, type TestDatabase } from "../../helpers/databases.js";
import { deleteRedisPrefix } from "../../helpers/redis.js";

const withPostgres = await postgresAvailable();
const withRedis = await redisAvailable();

/** StoreUnderTest is one TokenStore implementation on a fresh, empty backing store. */
interface StoreUnderTest {
  store: TokenStore;
  /** Redis only: the ids in the index of every token. */
  allIndex?: () => Promise<string[]>;
  close(): Promise<void>;
}

const implementations: [string, boolean, () => Promise<StoreUnderTest>][] = [
  [
    "SQL on SQLite",
    true,
    async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "metal-tokens-"));
      const db = openDatabase({ databaseUrl: "", dataDir });
      await migrateToLatest(db);
      return {
        store: createSqlTokenStore(db),
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
      const database: TestDatabase = await createPostgresDatabase();
      const db: Db = openDatabase({ databaseUrl: database.url, dataDir: "" });
      await migrateToLatest(db);
      return {
        store: createSqlTokenStore(db),
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
        store: createRedisTokenStore(redis, prefix),
        allIndex: () => redis.zrange(`${prefix}tokens:all`, 0, -1),
        close: async () => {
          await deleteRedisPrefix(redis, prefix);
          redis.disconnect();
        },
      };
    },
  ],
];

const HOUR = 3_600_000;
const t0 = new Date("2030-01-01T00:00:00.000Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

function token(over: Partial<TokenRecord> = {}): TokenRecord {
  const id = over.id ?? crypto.randomUUID();
  return {
    id,
    lineageId: id,
    userId: "alice",
    kind: "api",
    description: "ci",
    permissions: [{ subject: "p1", methods: ["/metalstack.api.v2.ProjectService/Get"] }],
    projectRoles: { p1: 2 },
    tenantRoles: {},
    adminRole: 0,
    issuedAt: t0,
    expiresAt: at(HOUR),
    generation: 1,
    ...over,
  };
}

function refresh(over: Partial<RefreshRecord> = {}): RefreshRecord {
  return {
    hash: crypto.randomBytes(16).toString("hex"),
    sessionId: "s1",
    userId: "alice",
    client: "metalctl",
    issuedAt: t0,
    expiresAt: at(24 * HOUR),
    ...over,
  };
}

describe.each(implementations)("TokenStore contract: %s", (name, available, open) => {
  let sut: StoreUnderTest;
  let store: TokenStore;
  beforeAll(async () => {
    if (available) sut = await open();
  });
  afterAll(async () => {
    await sut?.close();
  });
  beforeEach(() => {
    store = sut?.store;
  });

  it.runIf(available)("returns what was inserted, and undefined for unknown ids", async () => {
    const r = token({
      kind: "user",
      permissions: [],
      tenantRoles: { t1: 1 },
      parentId: "parent",
      notAfter: at(2 * HOUR),
      sessionId: "sess",
    });
    await store.insert(r);
    expect(await store.get(r.id)).toEqual(r);
    expect(await store.get("no-such-token")).toBeUndefined();
  });

  it.runIf(available)("refuses a second insert with the same id", async () => {
    const r = token();
    await store.insert(r);
    await expect(store.insert({ ...r, description: "again" })).rejects.toThrow();
    expect((await store.get(r.id))?.description).toBe("ci");
  });

  it.runIf(available)("lists live tokens only, per user or all, oldest first", async () => {
    const user = `u-${crypto.randomUUID()}`;
    const late = token({ userId: user, issuedAt: at(10) });
    const early = token({ userId: user, issuedAt: at(5) });
    const expired = token({ userId: user, expiresAt: at(-1) });
    const revoked = token({ userId: user });
    const other = token({ userId: `other-${user}` });
    for (const r of [late, early, expired, revoked, other]) await store.insert(r);
    await store.revoke({ id: revoked.id }, at(1));
    const mine = await store.list({ userId: user, now: t0 });
    expect(mine.map((r) => r.id)).toEqual([early.id, late.id]);
    const all = (await store.list({ now: t0 })).map((r) => r.id);
    expect(all).toEqual(expect.arrayContaining([early.id, late.id, other.id]));
    expect(all).not.toContain(expired.id);
    expect(all).not.toContain(revoked.id);
    expect(await store.list({ userId: user, now: at(2 * HOUR) })).toEqual([]);
  });

  it.runIf(available)("still returns expired and revoked tokens from get", async () => {
    const expired = token({ expiresAt: at(-HOUR) });
    await store.insert(expired);
    expect(await store.get(expired.id)).toEqual(expired);
    const r = token();
    await store.insert(r);
    await store.revoke({ id: r.id }, at(7));
    expect((await store.get(r.id))?.revokedAt).toEqual(at(7));
  });

  it.runIf(available)("updates only at the expected generation and never a revoked token", async () => {
    const r = token();
    await store.insert(r);
    const next = { ...r, description: "renamed", expiresAt: at(3 * HOUR), generation: 2 };
    expect(await store.update(next, 2)).toBe(false);
    expect(await store.update(next, 1)).toBe(true);
    expect(await store.get(r.id)).toEqual(next);
    expect(await store.update({ ...next, description: "stale", generation: 2 }, 1)).toBe(false);
    expect(await store.update({ ...next, generation: 3 }, 99)).toBe(false);
    expect(await store.update(token({ id: "never-inserted" }), 1)).toBe(false);
    await store.revoke({ id: r.id }, at(1));
    expect(await store.update({ ...next, description: "after revoke", generation: 3 }, 2)).toBe(false);
    expect((await store.get(r.id))?.description).toBe("renamed");
  });

  it.runIf(available)("lets exactly one of two concurrent updates at one generation win", async () => {
    const r = token();
    await store.insert(r);
    const results = await Promise.all([
      store.update({ ...r, description: "a", generation: 2 }, 1),
      store.update({ ...r, description: "b", generation: 2 }, 1),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it.runIf(available)(
    "revokes by id, by user and by session, counting only newly revoked tokens",
    async () => {
      const user = `u-${crypto.randomUUID()}`;
      const session = `s-${crypto.randomUUID()}`;
      const a = token({ userId: user });
      const b = token({ userId: user, sessionId: session, kind: "user" });
      const c = token({ userId: user, sessionId: session, kind: "user" });
      const bystander = token();
      for (const r of [a, b, c, bystander]) await store.insert(r);
      expect(await store.revoke({ id: a.id }, at(1))).toBe(1);
      expect(await store.revoke({ id: a.id }, at(2))).toBe(0);
      expect((await store.get(a.id))?.revokedAt).toEqual(at(1));
      expect(await store.revoke({ sessionId: session }, at(3))).toBe(2);
      expect(await store.revoke({ userId: user }, at(4))).toBe(0);
      expect(await store.revoke({ id: "unknown" }, at(4))).toBe(0);
      expect((await store.get(bystander.id))?.revokedAt).toBeUndefined();
      const d = token({ userId: user });
      await store.insert(d);
      expect(await store.revoke({ userId: user }, at(5))).toBe(1);
    },
  );

  it.runIf(available)("stores refresh tokens and uses each exactly once", async () => {
    const r = refresh();
    await store.insertRefresh(r);
    expect(await store.getRefresh(r.hash)).toEqual(r);
    expect(await store.getRefresh("unknown")).toBeUndefined();
    const first = await store.useRefresh(r.hash, at(1));
    expect(first).toEqual({ record: { ...r, usedAt: at(1) }, reused: false });
    const second = await store.useRefresh(r.hash, at(2));
    expect(second).toEqual({ record: { ...r, usedAt: at(1) }, reused: true });
    expect(await store.useRefresh("unknown", at(3))).toBeUndefined();
  });

  it.runIf(available)("lets exactly one of many concurrent uses of a refresh token through", async () => {
    const r = refresh();
    await store.insertRefresh(r);
    const uses = await Promise.all(Array.from({ length: 8 }, () => store.useRefresh(r.hash, at(1))));
    expect(uses.filter((u) => u && !u.reused)).toHaveLength(1);
  });

  it.runIf(available)("treats a revoked refresh token as reused", async () => {
    const session = `s-${crypto.randomUUID()}`;
    const r = refresh({ sessionId: session });
    await store.insertRefresh(r);
    await store.revokeSession(session, at(1));
    const use = await store.useRefresh(r.hash, at(2));
    expect(use?.reused).toBe(true);
    expect(use?.record.revokedAt).toEqual(at(1));
  });

  it.runIf(available)("revokes a whole session: its refresh tokens and its user tokens", async () => {
    const session = `s-${crypto.randomUUID()}`;
    const r1 = refresh({ sessionId: session });
    const r2 = refresh({ sessionId: session });
    const keep = refresh({ sessionId: `other-${session}` });
    const access = token({ kind: "user", sessionId: session });
    for (const r of [r1, r2, keep]) await store.insertRefresh(r);
    await store.insert(access);
    await store.revokeSession(session, at(5));
    expect((await store.getRefresh(r1.hash))?.revokedAt).toEqual(at(5));
    expect((await store.getRefresh(r2.hash))?.revokedAt).toEqual(at(5));
    expect((await store.getRefresh(keep.hash))?.revokedAt).toBeUndefined();
    expect((await store.get(access.id))?.revokedAt).toEqual(at(5));
  });

  it.runIf(available)(
    "revokes a lineage and lists the tokens a lineage created, revoked ones too",
    async () => {
      const parent = token();
      const renewed = token({ lineageId: parent.lineageId });
      const child = token({ parentId: parent.lineageId });
      const renewedChild = token({ lineageId: child.lineageId, parentId: parent.lineageId });
      const other = token();
      for (const r of [parent, renewed, child, renewedChild, other]) await store.insert(r);
      await store.revoke({ id: child.id }, at(1));
      const children = await store.children(parent.lineageId);
      expect(children.map((r) => r.id).sort()).toEqual([child.id, renewedChild.id].sort());
      expect(children.find((r) => r.id === child.id)?.revokedAt).toEqual(at(1));
      expect(await store.children(other.lineageId)).toEqual([]);
      expect(await store.revoke({ lineageId: parent.lineageId }, at(2))).toBe(2);
      expect((await store.get(renewed.id))?.revokedAt).toEqual(at(2));
      expect((await store.get(other.id))?.revokedAt).toBeUndefined();
    },
  );

  it.runIf(available)("revokes every refresh token of one user", async () => {
    const user = `u-${crypto.randomUUID()}`;
    const mine = [refresh({ userId: user, sessionId: "x1" }), refresh({ userId: user, sessionId: "x2" })];
    const theirs = refresh({ userId: `other-${user}` });
    for (const r of [...mine, theirs]) await store.insertRefresh(r);
    expect(await store.revokeRefreshOfUser(user, at(1))).toBe(2);
    expect(await store.revokeRefreshOfUser(user, at(2))).toBe(0);
    expect((await store.getRefresh(theirs.hash))?.revokedAt).toBeUndefined();
  });

  // prune runs last: it removes other tests' expired records too.
  it.runIf(available)("prune never drops a revocation of a token that has not expired", async () => {
    const user = `u-${crypto.randomUUID()}`;
    const live = token({ userId: user, expiresAt: at(10 * HOUR) });
    const revoked = token({ userId: user, expiresAt: at(10 * HOUR) });
    const expired = token({ userId: user, expiresAt: at(HOUR) });
    for (const r of [live, revoked, expired]) await store.insert(r);
    await store.revoke({ id: revoked.id }, at(1));
    const session = `s-${crypto.randomUUID()}`;
    const used = refresh({ sessionId: session, expiresAt: at(10 * HOUR) });
    await store.insertRefresh(used);
    await store.useRefresh(used.hash, at(2));

    await store.prune({ tokensBefore: at(2 * HOUR), refreshBefore: at(2 * HOUR) });
    expect(await store.get(live.id)).toEqual(live);
    expect((await store.get(revoked.id))?.revokedAt).toEqual(at(1));
    expect((await store.list({ userId: user, now: at(2 * HOUR) })).map((r) => r.id)).toEqual([live.id]);
    // The used refresh token of a running session is kept, so a replay is still caught.
    expect((await store.useRefresh(used.hash, at(3)))?.reused).toBe(true);
    // SQL deletes the expired record; Redis leaves records to their TTL and trims its index of all tokens.
    if (name.startsWith("SQL")) expect(await store.get(expired.id)).toBeUndefined();
    if (sut.allIndex) {
      const index = await sut.allIndex();
      expect(index).not.toContain(expired.id);
      expect(index).toEqual(expect.arrayContaining([live.id, revoked.id]));
    }

    // Once the revoked token has expired too, its record may go; it never comes back unrevoked.
    await store.prune({ tokensBefore: at(11 * HOUR), refreshBefore: at(11 * HOUR) });
    const later = await store.get(revoked.id);
    if (later) expect(later.revokedAt).toEqual(at(1));
    if (name.startsWith("SQL")) {
      expect(later).toBeUndefined();
      expect(await store.getRefresh(used.hash)).toBeUndefined();
    }
    expect(await store.list({ userId: user, now: at(11 * HOUR) })).toEqual([]);
  });
});
