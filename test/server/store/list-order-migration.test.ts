import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Kysely, Migrator, sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../../src/server/store/db.js";
import { migrateToLatest } from "../../../src/server/store/migrate.js";
import { migrationProvider } from "../../../src/server/store/migrations/index.js";
import { postgresAvailable } from "../../helpers/components.js";
import { createPostgresDatabase, type TestDatabase } from "../../helpers/databases.js";
import { allIps } from "../../helpers/ips.js";

const withPostgres = await postgresAvailable();

describe.each([
  ["sqlite", true],
  ["postgres", withPostgres],
] as const)("0012-list-order on %s", (dialect, run) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it.runIf(run)("gives IPs stored before it an address key in numeric order", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "metal-migrate-"));
    const database: TestDatabase | undefined =
      dialect === "postgres" ? await createPostgresDatabase() : undefined;
    const db = openDatabase({ databaseUrl: database?.url ?? "", dataDir });
    cleanup.push(async () => {
      await db.close();
      await database?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });
    const migrator = new Migrator({ db: db.kysely, provider: migrationProvider });
    const before = await migrator.migrateTo("0011-expiry-indexes");
    expect(before.error).toBeUndefined();
    // Rows as the server wrote them before the column existed.
    const k = db.kysely as unknown as Kysely<Record<string, Record<string, unknown>>>;
    const t = "2025-01-01T00:00:00.000Z";
    await k
      .insertInto("networks")
      .values({
        id: "n1",
        project: "p1",
        partition: "",
        parent_network_id: null,
        name: "",
        description: "",
        type: 4,
        prefixes: '["10.0.0.0/24","fd00::/64"]',
        destination_prefixes: "[]",
        child_length_v4: null,
        child_length_v6: null,
        vrf: 0,
        nat: 0,
        labels: "{}",
        generation: 1,
        created_at: t,
        updated_at: t,
      })
      .execute();
    const addresses = ["10.0.0.10", "fd00::2", "10.0.0.2", "fd00::10", "10.0.0.1"];
    for (const [i, address] of addresses.entries()) {
      await k
        .insertInto("ips")
        .values({
          id: `ip-${i}`,
          project: "p1",
          network_id: "n1",
          address,
          family: address.includes(":") ? 6 : 4,
          name: "",
          description: "",
          type: 2,
          machine_id: null,
          labels: "{}",
          generation: 1,
          created_at: t,
          updated_at: t,
        })
        .execute();
    }
    await migrateToLatest(db);
    const keys = await sql<{ address: string; address_key: string }>`
      SELECT address, address_key FROM ips ORDER BY address`.execute(db.kysely);
    expect(Object.fromEntries(keys.rows.map((r) => [r.address, r.address_key]))).toEqual({
      "10.0.0.1": "40a000001",
      "10.0.0.2": "40a000002",
      "10.0.0.10": "40a00000a",
      "fd00::2": `6fd00${"0".repeat(27)}2`,
      "fd00::10": `6fd00${"0".repeat(26)}10`,
    });
    const listed = await allIps(db.kysely, { project: "p1" });
    expect(listed.map((i) => i.ip)).toEqual(["10.0.0.1", "10.0.0.2", "10.0.0.10", "fd00::2", "fd00::10"]);
  });
});
