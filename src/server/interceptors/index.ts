import type { Interceptor } from "@connectrpc/connect";
import type { AppContext } from "../context.js";

/**
 * createInterceptors returns the server's interceptor chain, outermost first:
 * rate limit → authenticate → authorize → validate → handler → audit.
 */
export function createInterceptors(_ctx: AppContext): Interceptor[] {
  return [];
}
