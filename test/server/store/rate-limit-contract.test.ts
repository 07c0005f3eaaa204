import crypto from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import {
  createMemoryRateLimitStore,
  type RateLimitStore,
} from "../../../src/server/interceptors/rate-limit.js";
import { createRedisRateLimitStore } from "../../../src/server/redis/rate-limit-store.js";
import { redisAvailable } from "../../helpers/components.js";
import { REDIS_TEST_URL } from "../../helpers/databases.js";
import { deleteRedisPrefix } from "../../helpers/redis.js";

const withRedis = await redisAvailable();
const prefix = `metal-test-${crypto.randomBytes(6).toString("hex")}:`;
const clients: Redis[] = [];
afterAll(async () => {
  if (clients[0]) await deleteRedisPrefix(clients[0], prefix);
  for (const c of clients) c.disconnect();
});

function redisStore(): RateLimitStore {
  const client = new Redis(REDIS_TEST_URL);
  clients.push(client);
  return createRedisRateLimitStore(client, prefix);
}

describe.each([
  ["memory", true, () => createMemoryRateLimitStore()],
  ["Redis", withRedis, redisStore],
] as const)("RateLimitStore contract: %s", (_name, available, open) => {
  // Slow refill, so a loaded machine cannot refill a token between two calls of one test.
  const limit = { perSecond: 0.1, burst: 3 };

  it.runIf(available)("allows a burst, then names the wait for the next call", async () => {
    const store = open();
    const key = `k-${crypto.randomUUID()}`;
    for (let i = 0; i < limit.burst; i++) expect(await store.take(key, limit)).toBe(0);
    const wait = await store.take(key, limit);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(1000 / limit.perSecond);
  });

  it.runIf(available)("keeps keys apart", async () => {
    const store = open();
    const a = `a-${crypto.randomUUID()}`;
    const b = `b-${crypto.randomUUID()}`;
    for (let i = 0; i < limit.burst; i++) await store.take(a, limit);
    expect(await store.take(a, limit)).toBeGreaterThan(0);
    expect(await store.take(b, limit)).toBe(0);
  });

  it.runIf(available)("refills after the named wait", async () => {
    const store = open();
    const key = `r-${crypto.randomUUID()}`;
    const fast = { perSecond: 100, burst: 1 };
    expect(await store.take(key, fast)).toBe(0);
    const wait = await store.take(key, fast);
    expect(wait).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, wait + 20));
    expect(await store.take(key, fast)).toBe(0);
  });
});

describe.runIf(withRedis)("Redis rate limits across replicas", () => {
  it("loads its script again when Redis forgot it (restart, SCRIPT FLUSH)", async () => {
    const store = redisStore();
    const key = `flush-${crypto.randomUUID()}`;
    const limit = { perSecond: 0.1, burst: 2 };
    expect(await store.take(key, limit)).toBe(0);
    await (clients.at(-1) as Redis).script("FLUSH");
    expect(await store.take(key, limit)).toBe(0);
    expect(await store.take(key, limit)).toBeGreaterThan(0);
  });

  it("shares one bucket between two clients, as two replicas would", async () => {
    const replicaA = redisStore();
    const replicaB = redisStore();
    const key = `shared-${crypto.randomUUID()}`;
    const limit = { perSecond: 1, burst: 4 };
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? replicaA : replicaB).take(key, limit)),
    );
    expect(results.filter((w) => w === 0)).toHaveLength(4);
  });
});
