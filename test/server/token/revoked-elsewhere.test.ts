import path from "node:path";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import SQLite from "better-sqlite3";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProjectRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { ProjectService } from "../../../src/gen/metalstack/api/v2/project_pb.js";
import { startDialectServer } from "../../helpers/dialect-server.js";
import type { TestServer } from "../../helpers/start-server.js";
import { addProject, addTenant, addUser, bearer, setProjectRole } from "../authz/fixtures.js";

// The server answers the token and project reads of every call from memory while its SQLite file is
// unchanged. A change committed by another connection to the file (another process: an operator's
// command, a second server) must count on the very next call, like one made through this server.
describe("changes to the SQLite file made by another connection", () => {
  let server: TestServer;
  let other: SQLite.Database;
  let token: string;

  const projects = (t: string) =>
    createClient(
      ProjectService,
      createConnectTransport({ baseUrl: server.url, httpVersion: "1.1", interceptors: [bearer(t)] }),
    );
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e) => ConnectError.from(e),
    );

  beforeAll(async () => {
    server = await startDialectServer("sqlite");
    await addUser(server.ctx, "alice");
    await addTenant(server.ctx, "acme");
    await addProject(server.ctx, "p1", "acme");
    await setProjectRole(server.ctx, "alice", "p1", ProjectRole.VIEWER);
    token = (await server.ctx.tokens.issueUserSession("alice")).accessToken;
    other = new SQLite(path.join(server.dataDir, "metal.db"));
  });
  afterAll(async () => {
    other?.close();
    await server?.close();
  });

  it("refuses a token on the next call once another connection revoked it", async () => {
    const client = projects(token);
    await client.get({ project: "p1" });
    await client.get({ project: "p1" });
    other
      .prepare("update tokens set revoked_at = ? where id = ?")
      .run(new Date().toISOString(), decodeJwt(token).jti);
    const err = await failure(client.get({ project: "p1" }));
    expect(err?.code).toBe(Code.Unauthenticated);
  });

  it("shows a project's new name, and then its absence, on the next call", async () => {
    const client = projects((await server.ctx.tokens.issueUserSession("alice")).accessToken);
    expect((await client.get({ project: "p1" })).project?.name).toBe("p1");
    other.prepare("update projects set name = 'renamed elsewhere' where id = 'p1'").run();
    expect((await client.get({ project: "p1" })).project?.name).toBe("renamed elsewhere");
    other.prepare("delete from project_members where project_id = 'p1'").run();
    other.prepare("delete from projects where id = 'p1'").run();
    const err = await failure(client.get({ project: "p1" }));
    expect([Code.NotFound, Code.PermissionDenied]).toContain(err?.code);
  });
});
