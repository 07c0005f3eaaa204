import type { DescService } from "@bufbuild/protobuf";
import { createConnectRouter, type Interceptor } from "@connectrpc/connect";
import { buildPermissionTable } from "../authz/permission-table.js";
import { registerPermissionTable } from "../authz/table-registry.js";
import type { AppContext } from "../context.js";
import { registerServices } from "../services/index.js";
import { audit, createAuditWriter } from "./audit.js";
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
import { validate } from "./validate.js";

/** InterceptorOptions replace the defaults; tests pass their own service list or limits. */
export interface InterceptorOptions {
  /** Services whose methods form the permission table; default: everything registerServices serves. */
  services?: DescService[];
  rateLimits?: RateLimits;
  rateLimitStore?: RateLimitStore;
}

/** servedServices lists the services registerServices puts into a router. */
export function servedServices(ctx: AppContext): DescService[] {
  const router = createConnectRouter();
  registerServices(ctx)(router);
  return [...new Set(router.handlers.map((h) => h.service))];
}

/**
 * createInterceptors returns the server's interceptor chain, outermost first:
 * rate limit (address) → audit → authenticate → rate limit (user) → authorize → validate → handler.
 * It builds the permission table from the served services' descriptors and throws on a bad annotation,
 * so the server refuses to start.
 */
export function createInterceptors(ctx: AppContext, opts: InterceptorOptions = {}): Interceptor[] {
  const table = buildPermissionTable(opts.services ?? servedServices(ctx));
  registerPermissionTable(ctx, table);
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
    audit(ctx, table, createAuditWriter(ctx)),
    authenticate(ctx.tokens, table),
    rateLimitByUser(limiter, limits),
    authorize(ctx.tokens, table),
    validate(),
  ];
}
