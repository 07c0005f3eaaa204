import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { AppContext } from "../context.js";
import { isRedisConnectionError } from "../redis/client.js";
import { isConnectionError } from "./db.js";

/** unavailableFrom names the store an error says is unreachable, or undefined for any other error. */
export function unavailableFrom(err: unknown): "database" | "redis" | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (isConnectionError(e)) return "database";
    if (isRedisConnectionError(e)) return "redis";
  }
  return undefined;
}

/**
 * unavailableInterceptor turns "the database or Redis is unreachable" into `Unavailable` with a
 * message that tells the client to retry, instead of an opaque `Internal`; the cause is logged, not
 * sent.
 */
export function unavailableInterceptor(ctx: AppContext): Interceptor {
  return (next) => async (req) => {
    try {
      return await next(req);
    } catch (err) {
      const store = unavailableFrom(err);
      if (!store) throw err;
      ctx.log.warn("store unavailable", {
        store,
        procedure: `/${req.service.typeName}/${req.method.name}`,
        error: (err as Error).message,
      });
      throw new ConnectError(
        `the ${store === "redis" ? "token and session store" : "database"} is unavailable right now; retry shortly`,
        Code.Unavailable,
      );
    }
  };
}
