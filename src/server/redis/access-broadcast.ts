import crypto from "node:crypto";
import type { Redis } from "ioredis";
import type { AppContext } from "../context.js";

/**
 * broadcastMembershipChanges relays membership changes between replicas over Redis pub/sub: a change
 * on this replica is published, and one published by another replica is handed to this replica's
 * listeners, so every replica drops its cached permissions of that user (a downgrade holds everywhere
 * on the next request, not only after the cache expires). Returns a function that stops relaying.
 */
export async function broadcastMembershipChanges(
  ctx: AppContext,
  redis: Redis,
  prefix: string,
): Promise<() => void> {
  const channel = `${prefix}membership-changed`;
  const origin = crypto.randomUUID();
  const subscriber = redis.duplicate();
  const publish = (userId: string) => {
    redis.publish(channel, JSON.stringify({ origin, userId })).catch((err: Error) => {
      ctx.log.warn("cannot tell other replicas about a membership change", { userId, error: err.message });
    });
  };
  subscriber.on("message", (_channel: string, message: string) => {
    const { origin: from, userId } = JSON.parse(message) as { origin: string; userId: string };
    if (from === origin) return;
    for (const listener of ctx.membershipListeners) if (listener !== publish) listener(userId);
  });
  subscriber.on("error", () => {
    // The main client logs connection trouble; the subscriber reconnects and resubscribes by itself.
  });
  // The duplicate inherits lazy connect and the disabled offline queue: connect before subscribing.
  await subscriber.connect();
  await subscriber.subscribe(channel);
  ctx.membershipListeners.add(publish);
  return () => {
    ctx.membershipListeners.delete(publish);
    subscriber.disconnect();
  };
}
