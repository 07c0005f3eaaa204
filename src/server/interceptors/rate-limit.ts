import {
  Code,
  ConnectError,
  type Interceptor,
  type StreamRequest,
  type UnaryRequest,
} from "@connectrpc/connect";
import { clientAddressKey } from "../auth/client-address.js";
import { principalKey } from "../auth/principal.js";

/** BucketLimit is a token bucket: `burst` calls at once, refilled at `perSecond`. */
export interface BucketLimit {
  perSecond: number;
  burst: number;
}

/** RateLimitStore takes one call from a named bucket; a Redis implementation can share buckets between replicas. */
export interface RateLimitStore {
  /**
   * take returns 0 when the call may proceed, else the milliseconds until one would be allowed; a
   * store in this process answers at once, a shared one with a promise.
   */
  take(key: string, limit: BucketLimit): number | Promise<number>;
}

/** RateLimits are the limits per client address and per authenticated user; a missing one is off. */
export interface RateLimits {
  perAddress?: BucketLimit;
  perUser?: BucketLimit;
}

/** rateLimitsOf turns calls per second (0: off) into token buckets with bursts of twice the rate. */
export function rateLimitsOf(perSecond: { perAddress: number; perUser: number }): RateLimits {
  const bucket = (n: number) => (n > 0 ? { perSecond: n, burst: 2 * n } : undefined);
  return { perAddress: bucket(perSecond.perAddress), perUser: bucket(perSecond.perUser) };
}

/** createMemoryRateLimitStore keeps buckets in this process, pruning idle ones. */
export function createMemoryRateLimitStore(now: () => number = Date.now): RateLimitStore {
  const buckets = new Map<string, { tokens: number; at: number }>();
  let lastPrune = now();
  return {
    take(key, limit) {
      const t = now();
      if (t - lastPrune > 60_000) {
        for (const [k, b] of buckets) if (t - b.at > 60_000) buckets.delete(k);
        lastPrune = t;
      }
      const b = buckets.get(key) ?? { tokens: limit.burst, at: t };
      b.tokens = Math.min(limit.burst, b.tokens + ((t - b.at) / 1000) * limit.perSecond);
      b.at = t;
      buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.ceil(((1 - b.tokens) / limit.perSecond) * 1000);
    },
  };
}

type Next = Parameters<Interceptor>[0];

function exhausted(what: string, waitMs: number): ConnectError {
  return new ConnectError(
    `too many requests from this ${what}; retry in ${Math.max(1, Math.ceil(waitMs / 1000))}s`,
    Code.ResourceExhausted,
  );
}

/**
 * admitted goes on with the call when a token was taken, else refuses it. An answer at hand (buckets
 * in this process) lets the call go on in the same tick; a refusal thrown here rejects the caller's
 * promise all the same, since an outer interceptor awaits this call.
 */
function admitted(
  wait: number | Promise<number>,
  what: string,
  next: Next,
  req: UnaryRequest | StreamRequest,
): ReturnType<Next> {
  if (typeof wait !== "number") return wait.then((w) => admitted(w, what, next, req));
  if (wait > 0) throw exhausted(what, wait);
  return next(req);
}

/** rateLimitByAddress refuses calls beyond the per-address limit before any other work is done. */
export function rateLimitByAddress(store: RateLimitStore, limit: BucketLimit): Interceptor {
  return (next) => (req) =>
    admitted(
      store.take(`addr:${req.contextValues.get(clientAddressKey)}`, limit),
      "client address",
      next,
      req,
    );
}

/** rateLimitByUser refuses calls beyond the per-user limit; it runs right after authentication. */
export function rateLimitByUser(store: RateLimitStore, limit: BucketLimit): Interceptor {
  return (next) => (req) => {
    const principal = req.contextValues.get(principalKey);
    if (!principal) return next(req);
    return admitted(store.take(`user:${principal.userId}`, limit), "user", next, req);
  };
}
