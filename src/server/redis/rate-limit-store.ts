import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import type { BucketLimit, RateLimitStore } from "../interceptors/rate-limit.js";

// One token bucket per key as a hash {tokens, at}. Redis' own clock (TIME) is the time base, so
// replicas with skewed clocks still share one bucket fairly; the script makes take atomic.
// Returns 0 when a token was taken, else the milliseconds until one will be available.
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = tonumber(ARGV[1]) / 1000
local burst = tonumber(ARGV[2])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or burst
local at = tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 1000)
return wait`;

const TAKE_SHA1 = createHash("sha1").update(TAKE).digest("hex");

/** createRedisRateLimitStore keeps rate-limit buckets in Redis, so a limit holds across all replicas together. */
export function createRedisRateLimitStore(redis: Redis, prefix = "metal:"): RateLimitStore {
  return {
    // Every call runs this script, so it goes by its SHA1 (EVALSHA) instead of its text; a Redis that
    // does not know it yet (first use, restart, SCRIPT FLUSH) answers NOSCRIPT, and EVAL loads it.
    async take(key: string, limit: BucketLimit) {
      const args = [1, `${prefix}ratelimit:${key}`, String(limit.perSecond), String(limit.burst)] as const;
      try {
        return Number(await redis.evalsha(TAKE_SHA1, ...args));
      } catch (err) {
        if (!(err instanceof Error) || !err.message.startsWith("NOSCRIPT")) throw err;
        return Number(await redis.eval(TAKE, ...args));
      }
    },
  };
}
