import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Db, openDatabase } from "../../../src/server/store/db.js";
import { migrateToLatest } from "../../../src/server/store/migrate.js";
import { postgresAvailable } from "../../helpers/components.js";
import { createPostgresDatabase } from "../../helpers/databases.js";

/** withPostgres tells whether the PostgreSQL variants of the suites run here. */
export const withPostgres = await postgresAvailable();

/** DIALECTS lists the store variants suites run against, with whether each can run here. */
export const DIALECTS = [
  ["sqlite", true],
  ["postgres", withPostgres],
] as const;

/** TestStore is a migrated, empty store of one dialect; close removes it again. */
export interface TestStore {
  db: Db;
  close(): Promise<void>;
}

/** openTestStore creates a fresh migrated SQLite file or PostgreSQL database. */
export async function openTestStore(dialect: "sqlite" | "postgres"): Promise<TestStore> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "metal-ipam-"));
  const database = dialect === "postgres" ? await createPostgresDatabase() : undefined;
  const db = openDatabase({ databaseUrl: database?.url ?? "", dataDir, databasePoolSize: 20 });
  await migrateToLatest(db);
  return {
    db,
    async close() {
      await db.close();
      await database?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
