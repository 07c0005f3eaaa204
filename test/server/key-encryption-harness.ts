import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import {
  ConfigError,
  defaultServerConfig,
  type ServerConfig,
  type SigningKeySecret,
} from "../../src/server/config.js";
import { createLogger } from "../../src/server/log.js";
import { type RunningServer, startServer } from "../../src/server/server.js";
import { type Db, openDatabase } from "../../src/server/store/db.js";
import { postgresAvailable } from "../helpers/components.js";
import { createPostgresDatabase, type TestDatabase } from "../helpers/databases.js";

/** SECRET is the key-encryption secret the keys are sealed with in the key-encryption suites. */
export const SECRET = `right-${crypto.randomBytes(32).toString("base64url")}`;
/** OTHER is a second secret that must not open what SECRET sealed. */
export const OTHER = `wrong-${crypto.randomBytes(32).toString("base64url")}`;
/** SETTING is where the secret came from, as the server names it in messages. */
export const SETTING = "--signing-key-secret-file (/etc/metal/signing-key-secret)";

/** secretOf wraps a secret value as the server's configuration carries it. */
export const secretOf = (value: string): SigningKeySecret => ({ value, setting: SETTING });

/** DIALECTS are the databases the key-encryption suites run on: SQLite always, PostgreSQL when reachable. */
export const DIALECTS = [
  ["SQLite", true],
  ["PostgreSQL", await postgresAvailable()],
] as const;

type DialectName = (typeof DIALECTS)[number][0];

/** Place is where a server keeps its data: a data dir and, on PostgreSQL, a database URL. */
export interface Place {
  dataDir: string;
  databaseUrl: string;
}

async function createPlace(
  dialect: DialectName,
  dirPrefix: string,
): Promise<{ place: Place; remove: () => Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), dirPrefix));
  const database: TestDatabase | undefined =
    dialect === "PostgreSQL" ? await createPostgresDatabase() : undefined;
  return {
    place: { dataDir, databaseUrl: database?.url ?? "" },
    remove: async () => {
      await database?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** withScratchPlace runs `fn` on a fresh data dir (and a fresh database on PostgreSQL) and removes both after. */
export async function withScratchPlace<T>(
  dialect: DialectName,
  dirPrefix: string,
  fn: (place: Place) => Promise<T>,
): Promise<T> {
  const { place, remove } = await createPlace(dialect, dirPrefix);
  try {
    return await fn(place);
  } finally {
    await remove();
  }
}

/** startReplicasWithSecret starts three servers on `config` at once with SECRET, closes them, and returns each one's log lines. */
export async function startReplicasWithSecret(config: ServerConfig): Promise<string[][]> {
  const logs: string[][] = [[], [], []];
  const replicas = await Promise.all(
    logs.map((lines) =>
      startServer(
        { ...config, signingKeySecret: secretOf(SECRET) },
        { log: createLogger("info", (l) => lines.push(l)), stdout: () => {} },
      ),
    ),
  );
  await Promise.all(replicas.map((r) => r.close()));
  return logs;
}

/** warnings picks the warn-level entries out of JSON log lines. */
export const warnings = (lines: string[]) =>
  lines.map((l) => JSON.parse(l) as { level: string; msg: string }).filter((l) => l.level === "warn");

/** sealedCount adds up the `keys` of the log entries with message `msg`: how many keys those starts sealed. */
export const sealedCount = (lines: string[], msg: string) =>
  lines
    .map((l) => JSON.parse(l) as { msg: string; keys?: number })
    .filter((l) => l.msg === msg)
    .reduce((sum, l) => sum + (l.keys ?? 0), 0);

/** KeyEncryptionHarness starts one suite's server again and again on the same data, with or without a secret. */
export interface KeyEncryptionHarness {
  /** Log lines of every start that did not pass its own array. */
  logs: string[];
  /** Messages of every refused start. */
  errors: string[];
  place(): Place;
  /** start boots the server with `secret` (none when undefined), logging at debug into `log`. */
  start(secret?: string, log?: string[]): Promise<RunningServer>;
  /** refusal expects the start to fail with a ConfigError, records its message and returns it. */
  refusal(secret?: string): Promise<Error>;
  /** withDb opens the suite's database beside the server and closes it after `fn`. */
  withDb<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /** startUseClose starts the server with `secret`, hands it to `use` and closes it; it returns that start's log lines, which `logs` gets too. */
  startUseClose(secret: string | undefined, use: (server: RunningServer) => Promise<void>): Promise<string[]>;
  /** expectNothingLeaked checks there are logs and at least `minErrors` refusals, and that none shows a secret or any of `material`. */
  expectNothingLeaked(minErrors: number, material: string[]): void;
}

/**
 * keyEncryptionHarness registers the suite's beforeAll/afterAll that make and remove its data dir (and
 * PostgreSQL database), and returns how to start the server there. `config` adds settings read at each
 * start; `afterClose` runs after each server's close.
 */
export function keyEncryptionHarness(opts: {
  dialect: DialectName;
  dirPrefix: string;
  config?: () => Partial<ServerConfig>;
  afterClose?: (server: RunningServer) => Promise<void>;
}): KeyEncryptionHarness {
  let current: Awaited<ReturnType<typeof createPlace>> | undefined;
  const logs: string[] = [];
  const errors: string[] = [];
  const place = (): Place => {
    if (!current) throw new Error("the key-encryption harness is used before its beforeAll");
    return current.place;
  };
  const start = async (secret?: string, log: string[] = logs): Promise<RunningServer> => {
    const server = await startServer(
      {
        ...defaultServerConfig(),
        ...place(),
        listen: "127.0.0.1:0",
        ...opts.config?.(),
        signingKeySecret: secret ? secretOf(secret) : undefined,
      },
      { log: createLogger("debug", (l) => log.push(l)), stdout: () => {} },
    );
    const afterClose = opts.afterClose;
    if (!afterClose) return server;
    return {
      ...server,
      async close() {
        await server.close();
        await afterClose(server);
      },
    };
  };
  const refusal = async (secret?: string): Promise<Error> => {
    const err = await start(secret).then(
      async (s) => {
        await s.close();
        throw new Error("the server started");
      },
      (e: Error) => e,
    );
    errors.push(err.message);
    expect(err).toBeInstanceOf(ConfigError);
    return err;
  };
  const withDb = async <T>(fn: (db: Db) => Promise<T>): Promise<T> => {
    const db = openDatabase(place());
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  };
  const startUseClose = async (
    secret: string | undefined,
    use: (server: RunningServer) => Promise<void>,
  ): Promise<string[]> => {
    const lines: string[] = [];
    const server = await start(secret, lines);
    try {
      await use(server);
    } finally {
      await server.close();
      logs.push(...lines);
    }
    return lines;
  };
  const expectNothingLeaked = (minErrors: number, material: string[]) => {
    expect(logs.length).toBeGreaterThan(0);
    expect(errors.length).toBeGreaterThanOrEqual(minErrors);
    const text = [...logs, ...errors].join("\n");
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(OTHER);
    for (const m of material) expect(text).not.toContain(m);
  };
  beforeAll(async () => {
    current = await createPlace(opts.dialect, opts.dirPrefix);
  });
  afterAll(async () => {
    await current?.remove();
  });
  return { logs, errors, place, start, refusal, withDb, startUseClose, expectNothingLeaked };
}
