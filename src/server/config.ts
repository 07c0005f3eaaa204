import path from "node:path";

/** ServerConfig is everything the API server needs to start; built from flags, environment and defaults. */
export interface ServerConfig {
  /** Address to listen on, host:port; port 0 picks a free one. */
  listen: string;
  /** Directory for the embedded SQLite database and other local state. */
  dataDir: string;
  /** PostgreSQL connection URL; when empty the embedded SQLite database in dataDir is used. */
  databaseUrl: string;
  /** Redis connection URL for tokens, rate limits and login state; when empty the database is used. */
  redisUrl: string;
  /** Public base URL of this server, used as JWT issuer and in OAuth metadata; derived from listen when empty. */
  publicUrl: string;
  /** Seed demo data and run the machine simulator. */
  dev: boolean;
  /** Longest lifetime an API token may be given, in milliseconds. */
  maxTokenLifetimeMs: number;
  /** Lifetime of user tokens issued at login, in milliseconds. */
  userTokenLifetimeMs: number;
  /** Log level: debug, info, warn or error. */
  logLevel: "debug" | "info" | "warn" | "error";
}

const HOUR = 60 * 60 * 1000;

/** defaultServerConfig returns the embedded defaults: SQLite under ./.data, no Redis, localhost. */
export function defaultServerConfig(): ServerConfig {
  return {
    listen: "127.0.0.1:8080",
    dataDir: path.resolve(".data"),
    databaseUrl: "",
    redisUrl: "",
    publicUrl: "",
    dev: false,
    maxTokenLifetimeMs: 365 * 24 * HOUR,
    userTokenLifetimeMs: 8 * HOUR,
    logLevel: "info",
  };
}
