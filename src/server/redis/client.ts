import { Redis } from "ioredis";
import type { Logger } from "../log.js";

/** RedisUnavailableError says Redis cannot be reached right now; callers map it to `Unavailable`. */
class RedisUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RedisUnavailableError";
  }
}

/** describeRedisUrl renders a Redis URL as host:port/db, never with the password. */
function describeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    const db = u.pathname.replace(/^\//, "") || "0";
    return `${u.hostname}:${u.port || "6379"}/${db}`;
  } catch {
    return "(unparsable Redis URL)";
  }
}

/**
 * openRedis connects to Redis and resolves once it answers. Commands fail fast while the connection
 * is down (no offline queue), so requests get a clear `Unavailable` instead of hanging; the client
 * reconnects in the background and recovers without a restart.
 */
export async function openRedis(url: string, log: Logger): Promise<Redis> {
  const where = describeRedisUrl(url);
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 5000,
    // A command written just before the line broke would otherwise wait for the reconnect.
    commandTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    // Commands of concurrent calls issued in the same tick (rate limits, token reads) go out in one
    // write and their answers come back in one read, instead of a system call each way per command.
    enableAutoPipelining: true,
  });
  let broken = false;
  redis.on("error", (err: Error) => {
    // ioredis reports an error on every reconnect attempt; log the first of each outage only.
    if (broken) return;
    broken = true;
    log.warn("redis connection lost, reconnecting", { redis: where, error: err.message });
  });
  redis.on("ready", () => {
    if (broken) log.info("redis connection restored", { redis: where });
    broken = false;
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    throw new RedisUnavailableError(
      `cannot reach Redis at ${where}: ${(err as Error).message}; check that it is running and that --redis-url is right`,
      { cause: err },
    );
  }
  return redis;
}

/** isRedisConnectionError tells whether an ioredis error means Redis is unreachable (not a bad command). */
export function isRedisConnectionError(err: unknown): boolean {
  if (err instanceof RedisUnavailableError) return true;
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (
    typeof code === "string" &&
    ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND"].includes(code)
  ) {
    return true;
  }
  return (
    err.name === "MaxRetriesPerRequestError" ||
    /Stream isn't writeable|Connection is closed|connect ETIMEDOUT|enableOfflineQueue|Command timed out/i.test(
      err.message,
    )
  );
}
