import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProjectService } from "../../../src/gen/metalstack/api/v2/project_pb.js";
import { createProject } from "../../../src/server/tenancy/projects.js";
import { ensureUser } from "../../../src/server/tenancy/users.js";
import { postgresAvailable } from "../../helpers/components.js";
import { createPostgresDatabase, type TestDatabase } from "../../helpers/databases.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import { startTcpProxy, type TcpProxy } from "../../helpers/tcp-proxy.js";

const withPostgres = await postgresAvailable();
const WRITERS = 8;

describe.runIf(withPostgres)("audit rows through a PostgreSQL outage under write load", () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let server: TestServer;
  let closed = false;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    proxy = await startTcpProxy(Number(new URL(database.url).port || 5432));
    const url = new URL(database.url);
    url.port = String(proxy.port);
    server = await startTestServer({ databaseUrl: url.toString(), redisUrl: "", databaseTimeoutMs: 1000 });
  });
  afterAll(async () => {
    if (!closed) await server?.close();
    await proxy?.close();
    await database?.drop();
  });

  it("keeps an audit row for every answered write, and answers nothing else than ok or unavailable", async () => {
    await ensureUser(server.ctx, { id: "wendy", name: "Wendy", email: "wendy@example.com" });
    const project = (
      await createProject(server.ctx, "wendy", "wendy", { name: "w", description: "", labels: {} })
    ).id;
    const { accessToken } = await server.ctx.tokens.issueUserSession("wendy");
    const projects = createClient(
      ProjectService,
      createConnectTransport({ baseUrl: server.url, httpVersion: "1.1" }),
    );
    const answered: string[] = [];
    const failures = new Map<string, number>();
    let stop = false;
    const writer = async (w: number) => {
      for (let n = 0; !stop; n++) {
        const requestId = `w${w}-${n}`;
        try {
          await projects.update(
            { project, updateMeta: {}, description: requestId },
            { headers: { authorization: `Bearer ${accessToken}`, "x-request-id": requestId } },
          );
          answered.push(requestId);
        } catch (err) {
          const e = ConnectError.from(err);
          const key = `${Code[e.code]}: ${e.rawMessage}`;
          failures.set(key, (failures.get(key) ?? 0) + 1);
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    };
    const settle = async (what: () => boolean) => {
      while (!what()) await new Promise((r) => setTimeout(r, 20));
    };
    const load = Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    // Writes succeed, then the line is cut mid-load, then it stalls; each lasts until calls fail.
    await settle(() => answered.length >= 50);
    proxy.cut();
    const beforeCut = [...failures.values()].reduce((a, b) => a + b, 0);
    await settle(() => [...failures.values()].reduce((a, b) => a + b, 0) >= beforeCut + WRITERS);
    proxy.restore();
    const afterCut = answered.length;
    await settle(() => answered.length >= afterCut + 50);
    proxy.stall();
    const beforeStall = [...failures.values()].reduce((a, b) => a + b, 0);
    await settle(() => [...failures.values()].reduce((a, b) => a + b, 0) >= beforeStall + WRITERS);
    proxy.restore();
    const afterStall = answered.length;
    await settle(() => answered.length >= afterStall + 50);
    stop = true;
    await load;

    for (const message of failures.keys()) expect(message).toMatch(/^Unavailable: /);
    // Closing writes the rows still queued (their outcome may have waited for the database).
    await server.close();
    closed = true;
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ request_id: string; code: string }>(
        "select request_id, code from audit_log where method = '/metalstack.api.v2.ProjectService/Update'",
      );
      const codes = new Map(rows.map((r) => [r.request_id, r.code]));
      const missing = answered.filter((id) => codes.get(id) !== "ok");
      expect(missing).toEqual([]);
      // No change without a row: every description the project ever had belongs to an audited call.
      const { rows: last } = await client.query<{ description: string }>(
        "select description from projects where id = $1",
        [project],
      );
      expect(codes.has(last[0]!.description)).toBe(true);
    } finally {
      await client.end();
    }
  });
});
