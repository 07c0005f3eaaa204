import { parseArgs } from "node:util";
import { defaultServerConfig, type ServerConfig } from "./config.js";
import { startServer } from "./server.js";

const USAGE = `Usage: metal-apiserver <command> [flags]

Commands:
  serve          start the API server
  token create   print an admin API token (run on the server host)

Flags for serve (each also read from the environment variable shown):
  --listen HOST:PORT     address to listen on            METAL_APISERVER_LISTEN    (default 127.0.0.1:8080)
  --data-dir DIR         directory of the embedded store METAL_APISERVER_DATA_DIR  (default ./.data)
  --database-url URL     PostgreSQL instead of SQLite    METAL_APISERVER_DATABASE_URL
  --redis-url URL        Redis for tokens and login state METAL_APISERVER_REDIS_URL
  --public-url URL       externally visible base URL     METAL_APISERVER_PUBLIC_URL
  --log-level LEVEL      debug|info|warn|error           METAL_APISERVER_LOG_LEVEL (default info)
  --dev                  seed demo data, run the machine simulator  METAL_APISERVER_DEV=true
  -h, --help             show this help
`;

/** UsageError is bad input on the command line; main prints it with the usage hint and exits 2. */
export class UsageError extends Error {}

const serveOptions = {
  listen: { type: "string" },
  "data-dir": { type: "string" },
  "database-url": { type: "string" },
  "redis-url": { type: "string" },
  "public-url": { type: "string" },
  "log-level": { type: "string" },
  dev: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** serveConfig merges flags over environment over defaults, naming the offending key on bad values. */
export function serveConfig(args: string[], env: NodeJS.ProcessEnv): ServerConfig {
  const { values } = parseArgs({ args, options: serveOptions, strict: true, allowPositionals: false });
  const pick = (flag: keyof typeof serveOptions, envName: string) => {
    const v = values[flag];
    return typeof v === "string" ? v : env[envName];
  };
  const config = defaultServerConfig();
  config.listen = pick("listen", "METAL_APISERVER_LISTEN") ?? config.listen;
  config.dataDir = pick("data-dir", "METAL_APISERVER_DATA_DIR") ?? config.dataDir;
  config.databaseUrl = pick("database-url", "METAL_APISERVER_DATABASE_URL") ?? "";
  config.redisUrl = pick("redis-url", "METAL_APISERVER_REDIS_URL") ?? "";
  config.publicUrl = pick("public-url", "METAL_APISERVER_PUBLIC_URL") ?? "";
  config.dev = values.dev ?? env.METAL_APISERVER_DEV === "true";
  const level = pick("log-level", "METAL_APISERVER_LOG_LEVEL") ?? config.logLevel;
  if (!["debug", "info", "warn", "error"].includes(level)) {
    throw new UsageError(`--log-level: "${level}" is not one of debug, info, warn, error`);
  }
  config.logLevel = level as ServerConfig["logLevel"];
  if (config.databaseUrl && !/^postgres(ql)?:\/\//.test(config.databaseUrl)) {
    throw new UsageError("--database-url: must start with postgres:// or postgresql://");
  }
  if (config.redisUrl && !/^rediss?:\/\//.test(config.redisUrl)) {
    throw new UsageError("--redis-url: must start with redis:// or rediss://");
  }
  return config;
}

async function serve(args: string[]): Promise<void> {
  const config = serveConfig(args, process.env);
  const server = await startServer(config);
  server.ctx.log.info("metal-apiserver listening", { url: server.url, dev: config.dev });
  const stop = async (signal: string) => {
    server.ctx.log.info("shutting down", { signal });
    await server.close();
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
    throw new UsageError(`unknown command "${argv.join(" ")}"`);
  } catch (err) {
    const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    const code = (err as { code?: string }).code;
    const message =
      code === "EADDRINUSE"
        ? `cannot listen: address already in use (${(err as Error).message}); pick another with --listen`
        : code === "EACCES" || code === "EROFS"
          ? `cannot write data directory: ${(err as Error).message}; pick another with --data-dir`
          : (err as Error).message;
    process.stderr.write(`metal-apiserver: ${message}\n`);
    if (usage) process.stderr.write("Run 'metal-apiserver --help' for usage.\n");
    process.exit(usage ? 2 : 1);
  }
}
