import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Kysely, Migrator } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { watchAuditRows } from "../../../src/server/audit/audit-watch.js";
import { openDatabase } from "../../../src/server/store/db.js";
import { migrateToLatest } from "../../../src/server/store/migrate.js";
import { migrationProvider } from "../../../src/server/store/migrations/index.js";
import type { AuditLogRow } from "../../../src/server/store/token-schema.js";
import { createPostgresDatabase, type TestDatabase } from "../../helpers/databases.js";
import { DIALECTS, openTestStore } from "../network/stores.js";

const T = "2025-01-01T00:00:00.000Z";

/** oldRow is an audit row as the server wrote it before 0013-audit-trail. */
function oldRow(id: string, subject: string) {
  return {
    id,
    time: T,
    user_id: "u1",
    token_id: "",
    method: "/metalstack.api.v2.ProjectService/Get",
    subject,
    code: "ok",
    duration_ms: 1,
    client_address: "127.0.0.1",
    request: "{}",
  };
}

function row(id: string, time: string, user = "u1"): AuditLogRow {
  return { ...oldRow(id, ""), time, user_id: user, tenant: "", project: "", request_id: id };
}

describe.each(DIALECTS)("audit store on %s", (dialect, run) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it.runIf(run)("0013 gives rows stored before it their tenant and project from the subject", async () => {
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
    expect((await migrator.migrateTo("0012-list-order")).error).toBeUndefined();
    const k = db.kysely as unknown as Kysely<Record<string, Record<string, unknown>>>;
    const meta = { description: "", generation: 1, labels: "{}", created_at: T, updated_at: T };
    await k
      .insertInto("tenants")
      .values({ id: "t1", name: "t1", email: "", personal: 0, created_by: "u1", ...meta })
      .execute();
    await k
      .insertInto("projects")
      .values({ id: "p1", tenant_id: "t1", name: "p1", ...meta })
      .execute();
    await k
      .insertInto("audit_log")
      .values([
        oldRow("a-project", "p1"),
        oldRow("a-tenant", "t1"),
        oldRow("a-gone", "p-deleted"),
        oldRow("a-none", ""),
      ])
      .execute();
    await migrateToLatest(db);
    const rows = await db.kysely
      .selectFrom("audit_log")
      .select(["id", "tenant", "project", "request_id"])
      .orderBy("id")
      .execute();
    expect(rows).toEqual([
      { id: "a-gone", tenant: "", project: "", request_id: "a-gone" },
      { id: "a-none", tenant: "", project: "", request_id: "a-none" },
      { id: "a-project", tenant: "t1", project: "p1", request_id: "a-project" },
      { id: "a-tenant", tenant: "t1", project: "", request_id: "a-tenant" },
    ]);
  });

  it.runIf(run)("a watch sends rows stored late, within the lag window, once each", async () => {
    const store = await openTestStore(dialect);
    cleanup.push(() => store.close());
    const db = store.db.kysely;
    const start = Date.now();
    const at = (offsetMs: number) => new Date(start + offsetMs).toISOString();
    await db
      .insertInto("audit_log")
      .values([row("before-start", at(-1)), row("other-user", at(1), "u2")])
      .execute();
    const abort = new AbortController();
    const watch = watchAuditRows(db, { user: "u1" }, () => new Date(start), abort.signal);
    await db
      .insertInto("audit_log")
      .values(row("first", at(2)))
      .execute();
    expect((await watch.next()).value?.id).toBe("first");
    // Stored after "first" but timed before it, as a slow transaction or another replica would.
    await db
      .insertInto("audit_log")
      .values([row("late", at(1)), row("second", at(3))])
      .execute();
    const next = [(await watch.next()).value?.id, (await watch.next()).value?.id];
    expect(next.sort()).toEqual(["late", "second"]);
    await db
      .insertInto("audit_log")
      .values(row("third", at(4)))
      .execute();
    expect((await watch.next()).value?.id).toBe("third");
    // A call that changes something has a pending row while it runs: it is sent with its outcome.
    await db
      .insertInto("audit_log")
      .values([{ ...row("running", at(5)), code: "pending" }, row("fourth", at(6))])
      .execute();
    expect((await watch.next()).value?.id).toBe("fourth");
    await db.updateTable("audit_log").set({ code: "ok" }).where("id", "=", "running").execute();
    expect((await watch.next()).value).toMatchObject({ id: "running", code: "ok" });
    abort.abort();
    expect((await watch.next()).done).toBe(true);
  });
});
