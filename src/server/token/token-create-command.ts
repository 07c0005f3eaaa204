import { AdminRole } from "../../gen/metalstack/api/v2/common_pb.js";
import { DURATION_EXAMPLES, parseDuration } from "../../shared/duration.js";
import { createAppContext } from "../app-context.js";
import { strongest } from "../authz/roles.js";
import type { ServerConfig } from "../config.js";
import { prepareStoredKeys } from "../key-storage.js";
import { createLogger } from "../log.js";
import { openRedis } from "../redis/client.js";
import { openDatabase } from "../store/db.js";
import { migrateToLatest } from "../store/migrate.js";
import { ensureUser } from "../tenancy/users.js";

/** TokenCreateArgs are the parsed flags of `metal-apiserver token create`. */
export interface TokenCreateArgs {
  adminRole: AdminRole;
  expiresMs: number;
  userId: string;
  /** Flags left for the store and issuer settings (--data-dir, --database-url, --public-url, --config). */
  rest: string[];
}

/** BOOTSTRAP_USER is the user a bootstrap token acts for unless --user names another. */
const BOOTSTRAP_USER = "bootstrap-admin";

/**
 * parseTokenCreateArgs takes --admin-role, --expires and --user out of argv and validates them;
 * `usage` builds the error the caller turns into exit code 2.
 */
export function parseTokenCreateArgs(argv: string[], usage: (msg: string) => Error): TokenCreateArgs {
  const own = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const m = /^--(admin-role|expires|user)(?:=(.*))?$/.exec(arg);
    if (!m?.[1]) {
      rest.push(arg);
      continue;
    }
    const value = m[2] ?? argv[++i];
    if (value === undefined || value.startsWith("--")) throw usage(`--${m[1]}: needs a value`);
    own.set(m[1], value);
  }
  const role = own.get("admin-role");
  if (role === undefined) throw usage("--admin-role: required, editor or viewer");
  const adminRole =
    role === "editor" ? AdminRole.EDITOR : role === "viewer" ? AdminRole.VIEWER : AdminRole.UNSPECIFIED;
  if (!adminRole) throw usage(`--admin-role: "${role}" is not editor or viewer`);
  const expires = own.get("expires");
  if (expires === undefined) throw usage(`--expires: required, a duration like ${DURATION_EXAMPLES}`);
  const expiresMs = parseDuration(expires);
  if (!expiresMs) throw usage(`--expires: "${expires}" is not a duration like ${DURATION_EXAMPLES}`);
  const userId = own.get("user") ?? BOOTSTRAP_USER;
  if (!/^[\w.@:-]{1,128}$/.test(userId)) throw usage(`--user: "${userId}" is not a valid user id`);
  return { adminRole, expiresMs, userId, rest };
}

/** issuerOf is the URL the running server will check as `iss`: --public-url, else derived from --listen. */
function issuerOf(config: ServerConfig, usage: (msg: string) => Error): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/+$/, "");
  if (/:0$/.test(config.listen)) throw usage("--public-url: required when the server listens on port 0");
  return `http://${config.listen}`;
}

/**
 * runTokenCreate opens the server's store, makes sure the user exists with the admin role, and
 * returns a new admin API token. The token is valid for a server with the same issuer URL.
 */
async function runTokenCreate(
  config: ServerConfig,
  args: TokenCreateArgs,
  usage: (msg: string) => Error,
): Promise<string> {
  if (args.expiresMs > config.maxTokenLifetimeMs) {
    throw usage(`--expires: at most ${Math.floor(config.maxTokenLifetimeMs / 86_400_000)} days`);
  }
  const db = openDatabase(config);
  const log = createLogger("error", (l) => process.stderr.write(l));
  // With Redis the running servers read grants from there, so the token must be stored there too.
  const redis = config.redisUrl ? await openRedis(config.redisUrl, log) : undefined;
  try {
    await migrateToLatest(db);
    const cfg = { ...config, publicUrl: issuerOf(config, usage) };
    // No server is started: only token issuing and user creation use this context.
    const ctx = createAppContext({ config: cfg, db, redis, shutdown: new AbortController().signal }, { log });
    await prepareStoredKeys(ctx);
    const existing = await db.kysely
      .selectFrom("users")
      .select(["name", "email", "admin_role"])
      .where("id", "=", args.userId)
      .executeTakeFirst();
    await ensureUser(ctx, {
      id: args.userId,
      name: existing?.name ?? args.userId,
      email: existing?.email ?? "",
      // Never demote: an existing editor asking for a viewer token stays an editor.
      adminRole: strongest(existing?.admin_role, args.adminRole),
    });
    const { secret } = await ctx.tokens.issueApiToken({
      userId: args.userId,
      description: `bootstrap admin token (${AdminRole[args.adminRole]?.toLowerCase()})`,
      adminRole: args.adminRole,
      expiresAt: new Date(Date.now() + args.expiresMs),
    });
    return secret;
  } finally {
    redis?.disconnect();
    await db.close();
  }
}

/**
 * tokenCreateCommand runs `metal-apiserver token create` and prints only the token on stdout.
 * `config` parses the store flags like `serve` does; `usage` makes errors main maps to exit code 2.
 */
export async function tokenCreateCommand(
  argv: string[],
  config: (rest: string[]) => ServerConfig,
  usage: (msg: string) => Error,
): Promise<void> {
  const args = parseTokenCreateArgs(argv, usage);
  const token = await runTokenCreate(config(args.rest), args, usage);
  process.stdout.write(`${token}\n`);
}
