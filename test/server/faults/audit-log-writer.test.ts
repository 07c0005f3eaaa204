import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuditLogWriter, PENDING_CODE } from "../../../src/server/audit/audit-log-writer.js";
import { createLogger } from "../../../src/server/log.js";
import { type Db, openDatabase } from "../../../src/server/store/db.js";
import { migrateToLatest } from "../../../src/server/store/migrate.js";
import type { AuditLogRow } from "../../../src/server/store/token-schema.js";
import { postgresAvailable } from "../../helpers/components.js";
import { createPostgresDatabase, type TestDatabase } from "../../helpers/databases.js";
import { startTcpProxy, type TcpProxy } from "../../helpers/tcp-proxy.js";

const withPostgres = await postgresAvailable();

function row(id: string, code = "ok"): AuditLogRow {
  return {
    id,
    time: new Date().toISOString(),
    user_id: "u",
    token_id: "t",
    method: "/x.v1.S/M",
    subject: "",
    tenant: "",
    project: "",
    request_id: id,
    code,
    duration_ms: 1,
    client_address: "127.0.0.1",
    request: "{}",
  };
}

describe.runIf(withPostgres)("the audit log writer while PostgreSQL is away", () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let db: Db;
  const logged: string[] = [];
  const log = createLogger("info", (line) => logged.push(line));

  beforeAll(async () => {
    database = await createPostgresDatabase();
    const direct = openDatabase({ databaseUrl: database.url, dataDir: "" });
    await migrateToLatest(direct);
    await direct.close();
    proxy = await startTcpProxy(Number(new URL(database.url).port || 5432));
    const url = new URL(database.url);
    url.port = String(proxy.port);
    db = openDatabase({
      databaseUrl: url.toString(),
      dataDir: "",
      databaseTimeoutMs: 1000,
      onConnectionError: () => {},
    });
  });
  afterAll(async () => {
    await db?.close();
    await proxy?.close();
    await database?.drop();
  });

  const stored = async () =>
    new Map(
      (await db.kysely.selectFrom("audit_log").select(["id", "code"]).execute()).map((r) => [r.id, r.code]),
    );

  it("refuses to store now, keeps queued rows, and writes them once it is back", async () => {
    const writer = createAuditLogWriter(db, () => log);
    await writer.store(row("before", PENDING_CODE));
    proxy.cut();
    await expect(writer.store(row("refused", PENDING_CODE))).rejects.toThrow();
    for (let i = 0; i < 5; i++) writer.record(row(`queued-${i}`));
    // The outcome of the call stored before the outage replaces its pending code.
    writer.record(row("before", "ok"));
    await new Promise((r) => setTimeout(r, 600));
    proxy.restore();
    expect(await writer.close(Date.now() + 30_000)).toBe(0);
    const rows = await stored();
    expect(rows.get("before")).toBe("ok");
    expect(rows.has("refused")).toBe(false);
    for (let i = 0; i < 5; i++) expect(rows.get(`queued-${i}`)).toBe("ok");
    expect(logged.join("\n")).toContain("audit log write failed; keeping the rows and retrying");
  });

  it("reports the rows it could not write when the grace ends first", async () => {
    const writer = createAuditLogWriter(db, () => log);
    proxy.cut();
    try {
      writer.record(row("lost-1"));
      writer.record(row("lost-2"));
      expect(await writer.close(Date.now() + 1500)).toBe(2);
      expect(logged.join("\n")).toContain("audit rows could not be written before shutdown");
    } finally {
      proxy.restore();
    }
  });
});
