import type { Redis } from "ioredis";
import type { LoginStateStore } from "../oauth/login-state.js";

// Entries are JSON {v, exp} with the expiry on the app clock (`now`, which tests move), exactly like
// the SQL store; Redis' own TTL (on its clock) only removes them afterwards. A counter is such an
// entry with a number value, so `get` reads it; an increment after `exp` starts a new window at 1.
// ARGV: now (ms), ttl (ms), grace (ms).
const INCREMENT = `
local now = tonumber(ARGV[1])
local raw = redis.call('GET', KEYS[1])
if raw then
  local ok, e = pcall(cjson.decode, raw)
  if ok and type(e) == 'table' and type(e.v) == 'number' and tonumber(e.exp) > now then
    e.v = e.v + 1
    redis.call('SET', KEYS[1], cjson.encode(e), 'KEEPTTL')
    return e.v
  end
end
local ttl = tonumber(ARGV[2])
redis.call('SET', KEYS[1], cjson.encode({ v = 1, exp = now + ttl }), 'PX', ttl + tonumber(ARGV[3]))
return 1`;

/** GRACE_MS keeps entries in Redis a little past their app-clock expiry, so the two clocks need not agree. */
const GRACE_MS = 60_000;

/**
 * createRedisLoginStateStore keeps login state in Redis, so a login started on one replica
 * completes on another; expiry follows `now` like the SQL store.
 */
export function createRedisLoginStateStore(
  redis: Redis,
  now: () => Date,
  prefix = "metal:",
): LoginStateStore {
  const key = (k: string) => `${prefix}login:${k}`;
  const ttl = (ms: number) => Math.max(1, Math.ceil(ms));
  const live = <T>(raw: string | null): T | undefined => {
    if (raw === null) return undefined;
    const entry = JSON.parse(raw) as { v: T; exp: number };
    return entry.exp > now().getTime() ? entry.v : undefined;
  };
  return {
    async put(k, value, ttlMs) {
      const entry = JSON.stringify({ v: value, exp: now().getTime() + ttl(ttlMs) });
      await redis.set(key(k), entry, "PX", ttl(ttlMs) + GRACE_MS);
    },
    async get<T>(k: string) {
      return live<T>(await redis.get(key(k)));
    },
    async take<T>(k: string) {
      return live<T>(await redis.getdel(key(k)));
    },
    async delete(k) {
      await redis.del(key(k));
    },
    async increment(k, ttlMs) {
      const args = [String(now().getTime()), String(ttl(ttlMs)), String(GRACE_MS)];
      return Number(await redis.eval(INCREMENT, 1, key(k), ...args));
    },
  };
}
