import crypto from "node:crypto";
import type { Redis } from "ioredis";
import type { AccessChange } from "../authz/access-changes.js";
import type { AppContext } from "../context.js";

/**
 * broadcastAccessChanges relays access changes between replicas over Redis pub/sub: a change made on
 * this replica is published, and one published by another replica is emitted here as relayed, so every
 * replica drops its cached permissions of that user or project and re-checks its open streams at once
 * (a downgrade or revocation holds everywhere on the next message, not only after a cache expires).
 * Returns a function that stops relaying.
 */
export async function broadcastAccessChanges(
  ctx: AppContext,
  redis: Redis,
  prefix: string,
): Promise<() => void> {
  const channel = `${prefix}access-changed`;
  const origin = crypto.randomUUID();
  const subscriber = redis.duplicate({ enableAutoPipelining: false });
  const unsubscribe = ctx.accessChanges.subscribe((change, relayed) => {
    if (relayed) return;
    redis.publish(channel, JSON.stringify({ origin, change })).catch((err: Error) => {
      ctx.log.warn("cannot tell other replicas about an access change", { ...change, error: err.message });
    });
  });
  subscriber.on("message", (_channel: string, message: string) => {
    const { origin: from, change } = JSON.parse(message) as { origin: string; change: AccessChange };
    if (from !== origin) ctx.accessChanges.emit(change, true);
  });
  subscriber.on("error", () => {
    // The main client logs connection trouble; the subscriber reconnects and resubscribes by itself.
  });
  // The duplicate inherits lazy connect and the disabled offline queue: connect before subscribing.
  await subscriber.connect();
  await subscriber.subscribe(channel);
  return () => {
    unsubscribe();
    subscriber.disconnect();
  };
}
