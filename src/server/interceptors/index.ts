import type { Interceptor } from "@connectrpc/connect";
import type { AppContext } from "../context.js";
import { audit, auditBeforeChange } from "./audit.js";
import { authenticate } from "./authenticate.js";
import { authorize } from "./authorize.js";
import {
  createMemoryRateLimitStore,
  type RateLimitStore,
  type RateLimits,
  rateLimitByAddress,
  rateLimitByUser,
  rateLimitsOf,
} from "./rate-limit.js";
import { guardStreams } from "./stream-guard.js";
import { validate } from "./validate.js";

/** InterceptorOptions replace the configured limits and the in-memory buckets; tests pass their own limits. */
export interface InterceptorOptions {
  rateLimits?: RateLimits;
  rateLimitStore?: RateLimitStore;
}

/**
 * createInterceptors returns the server's interceptor chain, outermost first:
 * rate limit (address) → audit → authenticate → rate limit (user) → authorize → stream guard → validate
 * → audit row stored before a change → handler.
 * Authentication, authorization and audit enforce the context's permission table. A rate limit set
 * to 0 (--rate-limit-per-address, --rate-limit-per-user) is left out of the chain.
 */
export function createInterceptors(ctx: AppContext, opts: InterceptorOptions = {}): Interceptor[] {
  const table = ctx.permissions;
  const limits = opts.rateLimits ?? rateLimitsOf(ctx.config.rateLimits);
  const limiter = opts.rateLimitStore ?? createMemoryRateLimitStore();
  return [
    ...(limits.perAddress ? [rateLimitByAddress(limiter, limits.perAddress)] : []),
    audit(ctx, table, ctx.auditLog),
    authenticate(ctx.tokens, table),
    ...(limits.perUser ? [rateLimitByUser(limiter, limits.perUser)] : []),
    authorize(ctx.tokens),
    guardStreams(ctx),
    validate(),
    auditBeforeChange(ctx.auditLog),
  ];
}
