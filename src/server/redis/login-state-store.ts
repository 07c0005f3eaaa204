import type { Redis } from "ioredis";
import type { LoginStateStore } from "../oauth/login-state.js";

// INCR creates the counter at 1; only then does it get its expiry, so later increments keep the window.
const INCREMENT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

/**
 * createRedisLoginStateStore keeps login state in Redis with native expiry, so a login started on
 * one replica completes on another. Expiry follows Redis' clock, not the app context's `now`.
 */
export function createRedisLoginStateStore(redis: Redis, prefix = "metal:"): LoginStateStore {
  const key = (k: string) => `${prefix}login:${k}`;
  const ttl = (ms: number) => Math.max(1, Math.ceil(ms));
  return {
    async put(k, value, ttlMs) {
      await redis.set(key(k), JSON.stringify(value), "PX", ttl(ttlMs));
    },
    async get<T>(k: string) {
      const v = await redis.get(key(k));
      return v === null ? undefined : (JSON.parse(v) as T);
    },
    async take<T>(k: string) {
      const v = await redis.getdel(key(k));
      return v === null ? undefined : (JSON.parse(v) as T);
    },
    async delete(k) {
      await redis.del(key(k));
    },
    async increment(k, ttlMs) {
      return Number(await redis.eval(INCREMENT, 1, key(k), String(ttl(ttlMs))));
    },
  };
}
