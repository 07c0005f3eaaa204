import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultServerConfig, type ServerConfig } from "../../../src/server/config.js";
import { silentLogger } from "../../../src/server/log.js";
import { type RunningServer, startServer } from "../../../src/server/server.js";
import { migrationProvider } from "../../../src/server/store/migrations/index.js";
import { postgresAvailable } from "../../helpers/components.js";
import { createPostgresDatabase, type TestDatabase } from "../../helpers/databases.js";

const withPostgres = await postgresAvailable();

async function expectedMigrations(): Promise<string[]> {
  return Object.keys(await migrationProvider.getMigrations()).sort();
}

function start(config: Partial<ServerConfig>): Promise<RunningServer> {
  return startServer({ ...defaultServerConfig(), listen: "127.0.0.1:0", ...config }, { log: silentLogger });
}

async function appliedMigrations(server: RunningServer): Promise<string[]> {
  const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
    server.ctx.db.kysely,
  );
  return rows.rows.map((r) => r.name);
}

describe.each([
  ["sqlite", false],
  ["postgres", true],
] as const)("migrations on %s", (dialect, needsPostgres) => {
  const run = !needsPostgres || withPostgres;
  let dataDir: string;
  let database: TestDatabase | undefined;
  let config: Partial<ServerConfig>;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "metal-store-"));
    if (needsPostgres && run) database = await createPostgresDatabase();
    config = { dataDir, databaseUrl: database?.url ?? "" };
  });
  afterAll(async () => {
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it.runIf(run)("applies every migration on a fresh database", async () => {
    const server = await start(config);
    try {
      expect(server.ctx.db.dialect).toBe(dialect);
      expect(await appliedMigrations(server)).toEqual(await expectedMigrations());
    } finally {
      await server.close();
    }
  });

  it.runIf(run)("starts again on the migrated database without re-applying anything", async () => {
    const first = await start(config);
    await first.ctx.db.kysely
      .insertInto("users")
      .values({
        id: "u1",
        name: "Ada",
        email: "ada@example.com",
        admin_role: 0,
        tenant_admin: 0,
        created_at: "t",
        updated_at: "t",
      })
      .execute();
    await first.close();
    const second = await start(config);
    try {
      expect(await appliedMigrations(second)).toEqual(await expectedMigrations());
      const users = await second.ctx.db.kysely
        .selectFrom("users")
        .select("name")
        .where("id", "=", "u1")
        .execute();
      expect(users).toEqual([{ name: "Ada" }]);
    } finally {
      await second.close();
    }
  });

  it.runIf(run)("returns counts as numbers and text timestamps as strings", async () => {
    const server = await start(config);
    try {
      const { kysely } = server.ctx.db;
      const count = await kysely
        .selectFrom("users")
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow();
      expect(typeof count.n).toBe("number");
      if (dialect === "postgres") {
        const row = await sql<{
          big: unknown;
          at: unknown;
        }>`select 9007199254740991::int8 as big, now() as at`.execute(kysely);
        expect(row.rows[0]?.big).toBe(Number.MAX_SAFE_INTEGER);
        expect(typeof row.rows[0]?.at).toBe("string");
      }
    } finally {
      await server.close();
    }
  });
});

describe.runIf(withPostgres)("concurrent starts on one PostgreSQL database", () => {
  let database: TestDatabase;
  const dataDirs: string[] = [];
  beforeAll(async () => {
    database = await createPostgresDatabase();
  });
  afterAll(async () => {
    await database.drop();
    for (const d of dataDirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("lets four replicas migrate at once, each migration applied exactly once", async () => {
    const starts = Array.from({ length: 4 }, () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "metal-store-"));
      dataDirs.push(dataDir);
      return start({ dataDir, databaseUrl: database.url });
    });
    const results = await Promise.allSettled(starts);
    const servers = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    try {
      expect(results.filter((r) => r.status === "rejected")).toEqual([]);
      const first = servers[0];
      if (!first) throw new Error("no server started");
      expect(await appliedMigrations(first)).toEqual(await expectedMigrations());
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });
});
