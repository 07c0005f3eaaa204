import { parseArgs } from "node:util";
import { parseDuration } from "../shared/duration.js";
import { parseTrustedProxies } from "./auth/client-address.js";
import {
  assertWritableDir,
  ConfigError,
  defaultServerConfig,
  loadConfigFile,
  readSigningKeySecret,
  type ServerConfig,
} from "./config.js";
import { IDENTITY_USAGE, identityConfigFrom, identityServeOptions } from "./oauth/identity-flags.js";
import { startServer } from "./server.js";
import { startupFailure, UsageError } from "./startup-failure.js";
import { tokenCreateCommand } from "./token/token-create-command.js";

const USAGE = `Usage: metal-apiserver <command> [flags]

Commands:
  serve          start the API server
  token create   print an admin API token (run on the server host)

Flags for serve (each also read from the environment variable shown, then from the config file;
flags win over the environment, the environment over the file, the file over the defaults):
  --config FILE          YAML file of settings, keys are the long flag names  METAL_APISERVER_CONFIG
  --listen HOST:PORT     address to listen on            METAL_APISERVER_LISTEN    (default 127.0.0.1:8080)
  --data-dir DIR         directory of the embedded store METAL_APISERVER_DATA_DIR  (default ./.data)
  --database-url URL     PostgreSQL instead of SQLite    METAL_APISERVER_DATABASE_URL
  --database-pool-size N PostgreSQL connections per process  METAL_APISERVER_DATABASE_POOL_SIZE (default 10)
  --database-timeout D   longest wait for PostgreSQL (connection, statement); calls then fail as
                         unavailable (1s to 10m)         METAL_APISERVER_DATABASE_TIMEOUT (default 5s)
  --shutdown-grace D     on SIGTERM, time to finish running requests and write queued audit rows
                         before exiting (1s to 10m)      METAL_APISERVER_SHUTDOWN_GRACE (default 10s)
  --max-request-bytes N  largest request body in bytes (RPC messages, login and identity-provider
                         forms); larger ones are refused before they are read (64 KiB to 1 GiB)
                         METAL_APISERVER_MAX_REQUEST_BYTES (default 4194304, 4 MiB)
  --redis-url URL        Redis for tokens and login state METAL_APISERVER_REDIS_URL
  --redis-key-prefix P   prefix of all Redis keys        METAL_APISERVER_REDIS_KEY_PREFIX (default metal:)
  --public-url URL       externally visible base URL     METAL_APISERVER_PUBLIC_URL
  --trusted-proxies LIST load balancers (IPs/CIDRs, comma-separated) whose X-Forwarded-For
                         names the client               METAL_APISERVER_TRUSTED_PROXIES
  --rate-limit-per-address N  calls per second per client address (bursts of twice that; 0: off)
                         METAL_APISERVER_RATE_LIMIT_PER_ADDRESS (default 2000)
  --rate-limit-per-user N  calls per second per authenticated user (bursts of twice that; 0: off)
                         METAL_APISERVER_RATE_LIMIT_PER_USER (default 1000)
  --log-level LEVEL      debug|info|warn|error           METAL_APISERVER_LOG_LEVEL (default info)
  --janitor-interval D   how often expired tokens, invites and login state are deleted (1m to 7d)
                         METAL_APISERVER_JANITOR_INTERVAL (default 1h)
  --audit-retention D    delete audit rows older than this, 0 keeps them  METAL_APISERVER_AUDIT_RETENTION (default 90d)
  --signing-key-secret-file FILE  secret (32+ random characters) that encrypts the JWT signing keys
                         in the database (or METAL_APISERVER_SIGNING_KEY_SECRET)  METAL_APISERVER_SIGNING_KEY_SECRET_FILE
  --dev                  seed demo data, run the machine simulator  METAL_APISERVER_DEV=true
  -h, --help             show this help
${IDENTITY_USAGE}
Config file example (--config /etc/metal-apiserver.yaml):
  listen: 0.0.0.0:8080
  database-url: postgres://metal@db:5432/metal
  redis-url: redis://redis:6379
`;

/** MAX_RATE_LIMIT is the highest rate limit accepted, in calls per second (far above what one replica serves). */
const MAX_RATE_LIMIT = 1_000_000;

/** The request size limit may not undercut the login forms' own 56 KiB, nor let one request fill memory. */
const MIN_REQUEST_LIMIT = 64 * 1024;
const MAX_REQUEST_LIMIT = 1024 * 1024 * 1024;

/** serveOptions are the flags of `serve`; each long name is also a config file key (except config and help). */
export const serveOptions = {
  config: { type: "string" },
  listen: { type: "string" },
  "data-dir": { type: "string" },
  "database-url": { type: "string" },
  "database-pool-size": { type: "string" },
  "database-timeout": { type: "string" },
  "shutdown-grace": { type: "string" },
  "max-request-bytes": { type: "string" },
  "redis-url": { type: "string" },
  "redis-key-prefix": { type: "string" },
  "public-url": { type: "string" },
  "trusted-proxies": { type: "string" },
  "rate-limit-per-address": { type: "string" },
  "rate-limit-per-user": { type: "string" },
  "log-level": { type: "string" },
  "janitor-interval": { type: "string" },
  "audit-retention": { type: "string" },
  "signing-key-secret-file": { type: "string" },
  dev: { type: "boolean" },
  ...identityServeOptions,
  help: { type: "boolean", short: "h" },
} as const;

/** serveConfig merges flags over environment over defaults, naming the offending key on bad values. */
export function serveConfig(args: string[], env: NodeJS.ProcessEnv): ServerConfig {
  const { values } = parseArgs({ args, options: serveOptions, strict: true, allowPositionals: false });
  const configFile = values.config ?? env.METAL_APISERVER_CONFIG;
  const fileKeys = Object.keys(serveOptions).filter((k) => k !== "config" && k !== "help");
  const file = configFile ? loadConfigFile(configFile, fileKeys) : new Map();
  // Names where a value came from, so a validation error points at the flag, variable or file key to fix.
  const where = (flag: keyof typeof serveOptions, envName: string) =>
    values[flag] !== undefined
      ? `--${flag}`
      : env[envName] !== undefined
        ? envName
        : `config file ${configFile}: key "${flag}"`;
  const pick = (flag: keyof typeof serveOptions, envName: string): string | undefined => {
    const v = values[flag];
    if (typeof v === "string") return v;
    if (env[envName] !== undefined) return env[envName];
    const f = file.get(flag);
    if (typeof f === "boolean")
      throw new ConfigError(`config file ${configFile}: key "${flag}" must be text, not true/false`);
    return f === undefined ? undefined : String(f);
  };
  const pickBool = (flag: keyof typeof serveOptions, envName: string): boolean | undefined => {
    const v = values[flag];
    if (typeof v === "boolean") return v;
    const e = env[envName];
    if (e !== undefined) {
      if (e === "true" || e === "1") return true;
      if (e === "false" || e === "0" || e === "") return false;
      throw new ConfigError(`${envName}: "${e}" is not a boolean; use true or false`);
    }
    const f = file.get(flag);
    if (f !== undefined && typeof f !== "boolean") {
      throw new ConfigError(`config file ${configFile}: key "${flag}" must be true or false`);
    }
    return f;
  };
  const pickInt = (flag: keyof typeof serveOptions, envName: string, min: number, max: number) => {
    const raw = pick(flag, envName);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new ConfigError(`${where(flag, envName)}: "${raw}" must be a whole number from ${min} to ${max}`);
    }
    return n;
  };
  // Durations read like 30m, 1h, 90d (shared/duration.ts); `zero` names what 0 means when it is allowed.
  const pickDuration = (
    flag: keyof typeof serveOptions,
    envName: string,
    limits: { min: string; max: string; zero?: string },
  ) => {
    const raw = pick(flag, envName);
    if (raw === undefined) return undefined;
    if (limits.zero && raw.trim() === "0") return 0;
    const ms = parseDuration(raw);
    if (ms === undefined || ms < (parseDuration(limits.min) ?? 0) || ms > (parseDuration(limits.max) ?? 0)) {
      throw new ConfigError(
        `${where(flag, envName)}: "${raw}" must be a duration like 30m, 12h or 90d from ${limits.min} to ${limits.max}${limits.zero ? `, or 0 to ${limits.zero}` : ""}`,
      );
    }
    return ms;
  };
  const config = defaultServerConfig();
  config.listen = pick("listen", "METAL_APISERVER_LISTEN") ?? config.listen;
  config.dataDir = pick("data-dir", "METAL_APISERVER_DATA_DIR") ?? config.dataDir;
  config.databaseUrl = pick("database-url", "METAL_APISERVER_DATABASE_URL") ?? "";
  config.databasePoolSize =
    pickInt("database-pool-size", "METAL_APISERVER_DATABASE_POOL_SIZE", 1, 1000) ?? config.databasePoolSize;
  config.databaseTimeoutMs =
    pickDuration("database-timeout", "METAL_APISERVER_DATABASE_TIMEOUT", { min: "1s", max: "10m" }) ??
    config.databaseTimeoutMs;
  config.shutdownGraceMs =
    pickDuration("shutdown-grace", "METAL_APISERVER_SHUTDOWN_GRACE", { min: "1s", max: "10m" }) ??
    config.shutdownGraceMs;
  config.maxRequestBytes =
    pickInt("max-request-bytes", "METAL_APISERVER_MAX_REQUEST_BYTES", MIN_REQUEST_LIMIT, MAX_REQUEST_LIMIT) ??
    config.maxRequestBytes;
  config.redisUrl = pick("redis-url", "METAL_APISERVER_REDIS_URL") ?? "";
  config.redisKeyPrefix =
    pick("redis-key-prefix", "METAL_APISERVER_REDIS_KEY_PREFIX") ?? config.redisKeyPrefix;
  if (!/^[\w.:-]{1,64}$/.test(config.redisKeyPrefix)) {
    throw new ConfigError(
      `${where("redis-key-prefix", "METAL_APISERVER_REDIS_KEY_PREFIX")}: "${config.redisKeyPrefix}" must be 1-64 letters, digits or . _ : -`,
    );
  }
  config.publicUrl = pick("public-url", "METAL_APISERVER_PUBLIC_URL") ?? "";
  config.trustedProxies = pick("trusted-proxies", "METAL_APISERVER_TRUSTED_PROXIES") ?? "";
  parseTrustedProxies(config.trustedProxies, where("trusted-proxies", "METAL_APISERVER_TRUSTED_PROXIES"));
  config.rateLimits = {
    perAddress:
      pickInt("rate-limit-per-address", "METAL_APISERVER_RATE_LIMIT_PER_ADDRESS", 0, MAX_RATE_LIMIT) ??
      config.rateLimits.perAddress,
    perUser:
      pickInt("rate-limit-per-user", "METAL_APISERVER_RATE_LIMIT_PER_USER", 0, MAX_RATE_LIMIT) ??
      config.rateLimits.perUser,
  };
  config.dev = pickBool("dev", "METAL_APISERVER_DEV") ?? false;
  const level = pick("log-level", "METAL_APISERVER_LOG_LEVEL") ?? config.logLevel;
  if (!["debug", "info", "warn", "error"].includes(level)) {
    throw new ConfigError(
      `${where("log-level", "METAL_APISERVER_LOG_LEVEL")}: "${level}" is not one of debug, info, warn, error`,
    );
  }
  config.logLevel = level as ServerConfig["logLevel"];
  config.janitorIntervalMs =
    pickDuration("janitor-interval", "METAL_APISERVER_JANITOR_INTERVAL", { min: "1m", max: "7d" }) ??
    config.janitorIntervalMs;
  config.auditRetentionMs =
    pickDuration("audit-retention", "METAL_APISERVER_AUDIT_RETENTION", {
      min: "1h",
      max: "100y",
      zero: "keep audit rows forever",
    }) ?? config.auditRetentionMs;
  if (config.databaseUrl && !/^postgres(ql)?:\/\//.test(config.databaseUrl)) {
    throw new ConfigError(
      `${where("database-url", "METAL_APISERVER_DATABASE_URL")}: must start with postgres:// or postgresql://`,
    );
  }
  if (config.redisUrl && !/^rediss?:\/\//.test(config.redisUrl)) {
    throw new ConfigError(
      `${where("redis-url", "METAL_APISERVER_REDIS_URL")}: must start with redis:// or rediss://`,
    );
  }
  config.identity = identityConfigFrom(pick, pickBool, env);
  // Only a file or a variable: a secret on the command line would show in process lists.
  const secret = readSigningKeySecret(
    pick("signing-key-secret-file", "METAL_APISERVER_SIGNING_KEY_SECRET_FILE"),
    where("signing-key-secret-file", "METAL_APISERVER_SIGNING_KEY_SECRET_FILE"),
    env.METAL_APISERVER_SIGNING_KEY_SECRET,
  );
  if (secret) config.signingKeySecret = secret;
  return config;
}

async function serve(args: string[]): Promise<void> {
  const config = serveConfig(args, process.env);
  if (!config.databaseUrl) assertWritableDir(config.dataDir, "--data-dir");
  const server = await startServer(config);
  server.ctx.log.info("metal-apiserver listening", { url: server.url, dev: config.dev });
  const stop = async (signal: string) => {
    server.ctx.log.info("shutting down", { signal, graceMs: config.shutdownGraceMs });
    try {
      await server.close();
    } catch (err) {
      server.ctx.log.error("shutdown failed", { error: (err as Error).message });
      process.exit(1);
    }
    server.ctx.log.info("stopped");
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

/** main runs the metal-apiserver command line and returns the exit code for failures. */
export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  try {
    if (
      !command ||
      command === "-h" ||
      command === "--help" ||
      rest.includes("--help") ||
      rest.includes("-h")
    ) {
      process.stdout.write(USAGE);
      return;
    }
    if (command === "serve") return await serve(rest);
    if (command === "token" && rest[0] === "create") {
      return await tokenCreateCommand(
        rest.slice(1),
        (a) => serveConfig(a, process.env),
        (m) => new UsageError(m),
      );
    }
    throw new UsageError(`unknown command "${argv.join(" ")}"`);
  } catch (err) {
    const failure = startupFailure(err);
    process.stderr.write(`metal-apiserver: ${failure.line}\n`);
    if (failure.usage) process.stderr.write("Run 'metal-apiserver --help' for usage.\n");
    process.exit(failure.exitCode);
  }
}
