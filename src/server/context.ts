import type { ServerConfig } from "./config.js";
import type { Logger } from "./log.js";
import type { Db } from "./store/db.js";

/**
 * AppContext is everything a service, interceptor or HTTP route may use. It is built once per
 * server by `createAppContext` and passed explicitly; there are no singletons.
 */
export interface AppContext {
  config: ServerConfig;
  db: Db;
  log: Logger;
  /** Current time; tests replace it to move time forward. */
  now: () => Date;
  /** Aborted when the server shuts down; long-running work (streams, simulator) stops on it. */
  shutdown: AbortSignal;
}
