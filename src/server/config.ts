import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { defaultIdentityConfig, type IdentityConfig } from "./oauth/identity-config.js";
import { DEFAULT_DATABASE_TIMEOUT_MS } from "./store/db.js";

/** ServerConfig is everything the API server needs to start; built from flags, environment and defaults. */
export interface ServerConfig {
  /** Address to listen on, host:port; port 0 picks a free one. */
  listen: string;
  /** Directory for the embedded SQLite database and other local state. */
  dataDir: string;
  /** PostgreSQL connection URL; when empty the embedded SQLite database in dataDir is used. */
  databaseUrl: string;
  /** Most PostgreSQL connections one server process holds at once. */
  databasePoolSize: number;
  /** Longest wait for PostgreSQL (connection, pool slot, each statement), in ms; then calls fail as unavailable. */
  databaseTimeoutMs: number;
  /**
   * Largest request body, in bytes: RPC messages (Connect, gRPC, gRPC-Web) and bodies of the login and
   * identity-provider endpoints; larger ones are refused before they are read.
   */
  maxRequestBytes: number;
  /** How long a shutdown may take (finishing running requests, writing queued audit rows), in ms. */
  shutdownGraceMs: number;
  /** Redis connection URL for tokens, rate limits and login state; when empty the database is used. */
  redisUrl: string;
  /** Prefix of every Redis key this server writes, so several deployments (or test runs) can share one Redis. */
  redisKeyPrefix: string;
  /** Public base URL of this server, used as JWT issuer and in OAuth metadata; derived from listen when empty. */
  publicUrl: string;
  /** Seed demo data and run the machine simulator. */
  dev: boolean;
  /** Longest lifetime an API token may be given, in milliseconds. */
  maxTokenLifetimeMs: number;
  /** Lifetime of user tokens issued at login, in milliseconds. */
  userTokenLifetimeMs: number;
  /** Time between janitor runs (expired tokens, invites, login state, old audit rows), in milliseconds. */
  janitorIntervalMs: number;
  /** Age after which audit rows are deleted, in milliseconds; 0 keeps them forever. */
  auditRetentionMs: number;
  /**
   * Comma-separated addresses or CIDR prefixes of load balancers whose X-Forwarded-For is believed
   * for the client address (rate limits, audit, login throttling); empty: the TCP peer is the client.
   */
  trustedProxies: string;
  /**
   * Calls per second allowed per client address (before authentication) and per authenticated user,
   * each with bursts of twice that; 0 turns that limit off.
   */
  rateLimits: { perAddress: number; perUser: number };
  /** Log level: debug, info, warn or error. */
  logLevel: "debug" | "info" | "warn" | "error";
  /** Login: identity provider (embedded or external), claim and group mapping, LDAP, device flow timing. */
  identity: IdentityConfig;
  /**
   * Secret that encrypts the JWT signing keys and the embedded identity provider's keys at rest; without
   * it they are stored in plain text.
   */
  signingKeySecret?: SigningKeySecret;
}

/** SigningKeySecret is the key-encryption secret and where it came from; only `value` is secret. */
export interface SigningKeySecret {
  value: string;
  /** The flag, variable or file key (and file) it was read from, for messages. */
  setting: string;
  /** A problem worth a warning at start, e.g. a secret file other users can read. */
  warning?: string;
}

/** SIGNING_KEY_SECRET_SETTING names every way to set the key-encryption secret, for messages that ask for it. */
export const SIGNING_KEY_SECRET_SETTING =
  "--signing-key-secret-file FILE (or METAL_APISERVER_SIGNING_KEY_SECRET_FILE, the config file key signing-key-secret-file, or METAL_APISERVER_SIGNING_KEY_SECRET)";

/** MIN_SIGNING_KEY_SECRET_LENGTH is the shortest secret accepted: HKDF does not stretch, so it must be random. */
const MIN_SIGNING_KEY_SECRET_LENGTH = 32;

const HOUR = 60 * 60 * 1000;

/** DEFAULT_RATE_LIMITS are generous: they stop floods, not busy automation (calls per second, bursts of twice that). */
export const DEFAULT_RATE_LIMITS = { perAddress: 2_000, perUser: 1_000 } as const;

/** DEFAULT_MAX_REQUEST_BYTES (4 MiB) holds the largest legitimate request (64 KiB userdata, many SSH keys) many times. */
export const DEFAULT_MAX_REQUEST_BYTES = 4 * 1024 * 1024;

/** defaultServerConfig returns the embedded defaults: SQLite under ./.data, no Redis, localhost. */
export function defaultServerConfig(): ServerConfig {
  return {
    listen: "127.0.0.1:8080",
    dataDir: path.resolve(".data"),
    databaseUrl: "",
    databasePoolSize: 10,
    databaseTimeoutMs: DEFAULT_DATABASE_TIMEOUT_MS,
    shutdownGraceMs: 10_000,
    maxRequestBytes: DEFAULT_MAX_REQUEST_BYTES,
    redisUrl: "",
    redisKeyPrefix: "metal:",
    publicUrl: "",
    trustedProxies: "",
    dev: false,
    maxTokenLifetimeMs: 365 * 24 * HOUR,
    userTokenLifetimeMs: 8 * HOUR,
    janitorIntervalMs: HOUR,
    auditRetentionMs: 90 * 24 * HOUR,
    rateLimits: { ...DEFAULT_RATE_LIMITS },
    logLevel: "info",
    identity: defaultIdentityConfig(),
  };
}

/** ConfigFileValue is one scalar setting read from the YAML configuration file. */
export type ConfigFileValue = string | number | boolean;

/**
 * loadConfigFile reads the optional YAML configuration file: a flat mapping whose keys are the
 * long flag names (`listen`, `data-dir`, `database-url`, …). Unknown keys, nested values and YAML
 * syntax errors are rejected with a message naming the file and the key.
 */
export function loadConfigFile(file: string, knownKeys: readonly string[]): Map<string, ConfigFileValue> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError(
      `config file ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? err})`,
    );
  }
  let doc: unknown;
  try {
    doc = YAML.parse(text, { uniqueKeys: true });
  } catch (err) {
    throw new ConfigError(`config file ${file}: not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  const values = new Map<string, ConfigFileValue>();
  if (doc === null || doc === undefined) return values;
  if (typeof doc !== "object" || Array.isArray(doc)) {
    throw new ConfigError(
      `config file ${file}: must be a mapping of option names to values, e.g. "listen: 0.0.0.0:8080"`,
    );
  }
  for (const [key, value] of Object.entries(doc)) {
    if (!knownKeys.includes(key)) {
      throw new ConfigError(
        `config file ${file}: unknown key "${key}"; known keys are the long flag names: ${knownKeys.join(", ")}`,
      );
    }
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
      throw new ConfigError(
        `config file ${file}: key "${key}" must be a single value, not ${describe(value)}`,
      );
    }
    values.set(key, value);
  }
  return values;
}

function describe(value: unknown): string {
  if (value === null) return "empty";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a mapping" : typeof value;
}

/**
 * assertWritableDir creates `dir` if needed and proves it writable with a probe file (file modes alone
 * do not tell: root ignores them, read-only mounts do not show in them); `flag` names the setting.
 */
export function assertWritableDir(dir: string, flag: string): void {
  const probe = path.join(dir, `.write-probe-${process.pid}`);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(probe, "");
    fs.rmSync(probe);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new ConfigError(`${flag}: cannot write data directory ${dir} (${code}); pick a writable directory`);
  }
}

/**
 * readSigningKeySecret reads the key-encryption secret from `file` (named by `setting`), or else takes
 * `envValue` (METAL_APISERVER_SIGNING_KEY_SECRET); undefined when neither is set. A secret file others
 * may write is refused (they could choose the secret new keys are encrypted with); one others may read
 * gives a warning. Messages never contain the secret.
 */
export function readSigningKeySecret(
  file: string | undefined,
  setting: string,
  envValue: string | undefined,
): SigningKeySecret | undefined {
  let secret: SigningKeySecret;
  if (file) {
    let text: string;
    let mode: number;
    try {
      mode = fs.statSync(file).mode;
      text = fs.readFileSync(file, "utf8");
    } catch (err) {
      throw new ConfigError(
        `${setting}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? err})`,
      );
    }
    if (mode & 0o002) {
      throw new ConfigError(
        `${setting}: ${file} is writable by every user on this host; run chmod 600 ${file}`,
      );
    }
    secret = {
      value: text.trim(),
      setting: `${setting} (${file})`,
      warning:
        mode & 0o004
          ? `${setting}: ${file} is readable by every user on this host; run chmod 600 ${file}`
          : undefined,
    };
  } else if (envValue) {
    secret = { value: envValue.trim(), setting: "METAL_APISERVER_SIGNING_KEY_SECRET" };
  } else {
    return undefined;
  }
  if (secret.value.length < MIN_SIGNING_KEY_SECRET_LENGTH) {
    throw new ConfigError(
      `${secret.setting}: the signing-key secret must be at least ${MIN_SIGNING_KEY_SECRET_LENGTH} random characters, e.g. from openssl rand -base64 32`,
    );
  }
  return secret;
}

/** ConfigError is a configuration value that cannot be used; its message names the flag, variable or file key. */
export class ConfigError extends Error {}
