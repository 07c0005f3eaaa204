import type { Interceptor } from "@connectrpc/connect";
import type { AppContext } from "../context.js";
import { audit, auditBeforeChange } from "./audit.js";
import { authenticate } from "./authenticate.js";
import { authorize } from "./authorize.js";
import {
  createMemoryRateLimitStore,
  defaultRateLimits,
  type RateLimitStore,
  type RateLimits,
  rateLimitByAddress,
  rateLimitByUser,
} from "./rate-limit.js";
import { guardStreams } from "./stream-guard.js";
import { validate } from "./validate.js";

/** InterceptorOptions replace the defaults; tests pass their own limits. */
export interface InterceptorOptions {
  rateLimits?: RateLimits;
  rateLimitStore?: RateLimitStore;
}

/**
 * createInterceptors returns the server's interceptor chain, outermost first:
 * rate limit (address) → audit → authenticate → rate limit (user) → authorize → stream guard → validate
 * → audit row stored before a change → handler.
 * Authentication, authorization and audit enforce the context's permission table.
 */
export function createInterceptors(ctx: AppContext, opts: InterceptorOptions = {}): Interceptor[] {
  const table = ctx.permissions;
  const configured = ctx.config.rateLimits;
  const limits =
    opts.rateLimits ??
    (configured
      ? {
          perAddress: { perSecond: configured.perAddress, burst: 2 * configured.perAddress },
          perUser: { perSecond: configured.perUser, burst: 2 * configured.perUser },
        }
      : defaultRateLimits);
  const limiter = opts.rateLimitStore ?? createMemoryRateLimitStore();
  return [
    rateLimitByAddress(limiter, limits),
    audit(ctx, table, ctx.auditLog),
    authenticate(ctx.tokens, table),
    rateLimitByUser(limiter, limits),
    authorize(ctx.tokens, table),
    guardStreams(ctx),
    validate(),
    auditBeforeChange(ctx.auditLog),
  ];
}
