import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import type { Database } from "./schema.js";
import { queuedSqliteDialect } from "./sqlite-queue.js";
import { sqliteStatements } from "./sqlite-statements.js";

/** Dialect names the SQL flavour behind a Kysely instance, for the few queries that differ. */
export type Dialect = "sqlite" | "postgres";

/** Db is the data-access handle: one Kysely instance and the dialect it speaks. */
export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** Where the data lives, without credentials: the SQLite file or PostgreSQL host:port/database. */
  location: string;
  /**
   * ping runs a trivial query; it rejects with a DatabaseUnavailableError when the store is unreachable.
   * Calls made while one is on its way share its answer; none is kept once it arrived.
   */
  ping(): Promise<void>;
  /**
   * withoutTimeouts runs `fn` on its own connection that --database-timeout does not bound: migrations
   * may legitimately take long (an index on a big table) or wait for another replica's migration.
   */
  withoutTimeouts<T>(fn: (kysely: Kysely<Database>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** OpenDatabaseOptions selects and sizes the store. */
export interface OpenDatabaseOptions {
  databaseUrl: string;
  dataDir: string;
  /** Most PostgreSQL connections this process holds at once (default 10). */
  databasePoolSize?: number;
  /**
   * Longest wait for PostgreSQL, in ms (default 5000): for a connection, for a free pool slot, and for
   * the answer to each statement. Past it the call fails as unavailable instead of hanging.
   */
  databaseTimeoutMs?: number;
  /** Called when a PostgreSQL connection breaks (server restart, network loss); this must not crash the process. */
  onConnectionError?: (err: Error) => void;
}

/** DatabaseUnavailableError says the database cannot be reached right now; callers map it to `Unavailable`. */
export class DatabaseUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DatabaseUnavailableError";
  }
}

const INT8_OID = 20;
const TEXT_LIKE_OIDS = [1082, 1083, 1114, 1184, 1266]; // date, time, timestamp, timestamptz, timetz

/**
 * pgTypes makes PostgreSQL rows look like SQLite rows: `count(*)` and other int8 values come back as
 * numbers (pg returns them as strings because they can exceed 2^53; our counts never do), and
 * date/time values stay ISO text instead of becoming Date objects.
 */
const pgTypes = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8_OID) {
      return (value: string) => {
        const n = Number(value);
        if (!Number.isSafeInteger(n))
          throw new RangeError(`int8 value ${value} does not fit a JavaScript number`);
        return n;
      };
    }
    if (TEXT_LIKE_OIDS.includes(oid)) return (value: string) => value;
    return format === "binary"
      ? pg.types.getTypeParser(oid as never, "binary")
      : pg.types.getTypeParser(oid as never, "text");
  },
} as pg.CustomTypesConfig;

/** openDatabase opens PostgreSQL when a URL is given, else the embedded SQLite file in dataDir. */
export function openDatabase(opts: OpenDatabaseOptions): Db {
  if (opts.databaseUrl) return openPostgres(opts);
  fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(opts.dataDir, "metal.db");
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  const kysely = new Kysely<Database>({
    dialect: queuedSqliteDialect({ database: sqliteStatements(sqlite) }),
  });
  // Health checks ping on every call: the statement goes to the connection directly. It reads no
  // table, so running between the statements of a Kysely transaction on that connection is harmless.
  const one = sqlite.prepare("select 1");
  return {
    kysely,
    dialect: "sqlite",
    location: file,
    ping: async () => {
      one.get();
    },
    withoutTimeouts: (fn) => fn(kysely),
    close: () => kysely.destroy(),
  };
}

/** DEFAULT_DATABASE_TIMEOUT_MS bounds every wait for PostgreSQL unless --database-timeout says otherwise. */
export const DEFAULT_DATABASE_TIMEOUT_MS = 5000;

/** DatabaseTimeoutError is a statement PostgreSQL did not answer in time; its connection is dropped. */
export class DatabaseTimeoutError extends DatabaseUnavailableError {
  constructor(ms: number) {
    super(`no answer from PostgreSQL within ${ms} ms`);
    this.name = "DatabaseTimeoutError";
  }
}

/**
 * boundedClient returns a pg client class whose statements each get `ms` to be answered. A silent
 * server (a stalled network, a frozen host) would otherwise keep the request waiting until TCP gives
 * up, minutes later. On expiry the connection is destroyed, which fails the statement (and any queued
 * behind it) with a DatabaseTimeoutError; the pool then drops the client and opens a fresh one, so the
 * pool recovers by itself once the server answers again. The server-side `statement_timeout` covers
 * slow statements on a healthy connection; this covers the connection itself.
 */
function boundedClient(ms: number): typeof pg.Client {
  return class BoundedClient extends pg.Client {
    // pg's query has many overloads; Kysely uses the promise form, which is the only one timed here.
    override query(...args: unknown[]): never {
      const result = (super.query as (...a: unknown[]) => unknown)(...args);
      if (result instanceof Promise) {
        const timer = setTimeout(() => {
          const stream = (this as unknown as { connection: { stream: { destroy(err: Error): void } } })
            .connection.stream;
          stream.destroy(new DatabaseTimeoutError(ms));
        }, ms);
        result.then(
          () => clearTimeout(timer),
          () => clearTimeout(timer),
        );
      }
      return result as never;
    }
  };
}

function openPostgres(opts: OpenDatabaseOptions): Db {
  const location = describePostgresUrl(opts.databaseUrl);
  const timeout = opts.databaseTimeoutMs ?? DEFAULT_DATABASE_TIMEOUT_MS;
  const pool = new pg.Pool({
    connectionString: opts.databaseUrl,
    Client: boundedClient(timeout),
    max: opts.databasePoolSize ?? 10,
    connectionTimeoutMillis: timeout,
    idleTimeoutMillis: 30_000,
    // Server side: a statement (or lock wait) longer than the bound is cancelled, and a transaction
    // left idle by a client that vanished releases its locks.
    statement_timeout: timeout,
    idle_in_transaction_session_timeout: 2 * timeout,
    keepAlive: true,
    types: pgTypes,
  });
  // pg emits "error" on a client whose connection breaks; the pool listens only while the client is
  // idle, so a break during a query would be an uncaught exception. The query itself still rejects.
  pool.on("connect", (client) => client.on("error", (err) => opts.onConnectionError?.(err)));
  pool.on("error", (err) => opts.onConnectionError?.(err));
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const ping = async () => {
    try {
      await sql`select 1`.execute(kysely);
    } catch (err) {
      throw isConnectionError(err)
        ? new DatabaseUnavailableError(
            `cannot reach PostgreSQL at ${location}: ${reason(err)}; check that it is running and that --database-url is right`,
            { cause: err },
          )
        : err;
    }
  };
  // Health checks that arrive while a ping is on its way wait for its answer instead of each taking a
  // connection for one of their own.
  let pinging: Promise<void> | undefined;
  return {
    kysely,
    dialect: "postgres",
    location,
    ping: () => {
      pinging ??= ping().finally(() => {
        pinging = undefined;
      });
      return pinging;
    },
    async withoutTimeouts(fn) {
      const unbounded = new Kysely<Database>({
        dialect: new PostgresDialect({
          pool: new pg.Pool({ connectionString: opts.databaseUrl, max: 1, types: pgTypes }),
        }),
      });
      try {
        return await fn(unbounded);
      } finally {
        await unbounded.destroy();
      }
    },
    close: () => kysely.destroy(),
  };
}

/** describePostgresUrl renders a connection URL as host:port/database, never with the password. */
export function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    const db = decodeURIComponent(u.pathname.replace(/^\//, "")) || "(default database)";
    return `${u.hostname}:${u.port || "5432"}/${db}`;
  } catch {
    return "(unparsable database URL)";
  }
}

// Node socket errors and PostgreSQL SQLSTATEs that mean "the server is not there right now":
// class 08 (connection exception), 57P01-57P03 (admin/crash shutdown, cannot connect now), and 57014
// (query_canceled: statement_timeout hit, e.g. waiting for a lock a stalled client holds).
const NET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "EPIPE",
  "EAI_AGAIN",
]);

/** isConnectionError tells whether an error from the pg driver means the database is unreachable. */
export function isConnectionError(err: unknown): boolean {
  if (err instanceof DatabaseUnavailableError) return true;
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (
    typeof code === "string" &&
    (NET_CODES.has(code) || code.startsWith("08") || /^57P0[123]$/.test(code) || code === "57014")
  ) {
    return true;
  }
  if (err instanceof AggregateError) return err.errors.some(isConnectionError);
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    err.message,
  );
}

function reason(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return reason(err.errors[0]);
  const e = err as { code?: string; message?: string };
  return e.code && !e.message?.includes(e.code)
    ? `${e.code} ${e.message ?? ""}`.trim()
    : (e.message ?? String(err));
}
