import { setMaxListeners } from "node:events";
import { type ApiServer, startApiServer } from "./app.js";
import { createAppContext } from "./app-context.js";
import type { ServerConfig } from "./config.js";
import type { AppContext } from "./context.js";
import { devOptionsFromEnv, startDevEnvironment } from "./dev/seed.js";
import { startJanitor } from "./janitor.js";
import { prepareStoredKeys } from "./key-storage.js";
import { createLogger } from "./log.js";
import { bootstrapIdentity } from "./oauth/bootstrap.js";
import { broadcastAccessChanges } from "./redis/access-broadcast.js";
import { openRedis } from "./redis/client.js";
import { openDatabase } from "./store/db.js";
import { migrateToLatest } from "./store/migrate.js";

const AUDIT_FLUSH_MS = 2000;

/** RunningServer is a started API server together with the context it runs on. */
export interface RunningServer extends ApiServer {
  ctx: AppContext;
}

/**
 * startServer opens the store, migrates it, builds the app context and listens. `overrides`
 * replace parts of the context (a silent logger, a fake clock) — tests use it instead of mocks.
 */
export async function startServer(
  config: ServerConfig,
  overrides: Partial<AppContext> = {},
): Promise<RunningServer> {
  const db =
    overrides.db ??
    openDatabase({
      ...config,
      onConnectionError: (err) =>
        (overrides.log ?? createLogger(config.logLevel)).warn("database connection lost", {
          error: err.message,
        }),
    });
  await migrateToLatest(db);
  const redis =
    overrides.redis ??
    (config.redisUrl
      ? await openRedis(config.redisUrl, overrides.log ?? createLogger(config.logLevel)).catch(
          async (err) => {
            await db.close();
            throw err;
          },
        )
      : undefined);
  const abort = new AbortController();
  // Every running request listens for shutdown; more than ten at once is normal, not a leak.
  setMaxListeners(0, abort.signal);
  let ctx: AppContext;
  try {
    ctx = createAppContext({ config, db, redis, shutdown: abort.signal }, overrides);
    // Before any token is signed or the identity provider is built: refuse keys that do not decrypt,
    // encrypt plain ones.
    await prepareStoredKeys(ctx);
  } catch (err) {
    await db.close();
    if (!overrides.redis) redis?.disconnect();
    throw err;
  }
  await bootstrapIdentity(ctx);
  const stopBroadcast = ctx.redis
    ? await broadcastAccessChanges(ctx, ctx.redis, config.redisKeyPrefix)
    : undefined;
  const api = await startApiServer(ctx, config.listen);
  if (!config.publicUrl) ctx.config = { ...config, publicUrl: api.url };
  // Deletes expired tokens, invites, login state and old audit rows now and every janitor interval.
  const janitor = startJanitor(ctx);
  const running: RunningServer = {
    ...api,
    ctx,
    async close() {
      // Requests get most of the grace; the audit rows they leave queued get the rest, and at least that.
      const started = Date.now();
      const grace = ctx.config.shutdownGraceMs;
      const drained = api.close(started + grace - Math.min(grace / 5, AUDIT_FLUSH_MS));
      // Streams, the janitor and the simulator stop now; drained requests may still finish.
      abort.abort();
      await drained;
      await janitor.stopped;
      await ctx.auditLog.close(started + grace);
      await db.close();
      stopBroadcast?.();
      if (!overrides.redis) redis?.disconnect();
    },
  };
  // Dev demo: catalog, demo project and a simulated machine pool; the simulator stops on ctx.shutdown.
  if (config.dev) {
    await startDevEnvironment(ctx, api.url, devOptionsFromEnv(process.env)).catch(async (err) => {
      await running.close();
      throw err;
    });
  }
  return running;
}
