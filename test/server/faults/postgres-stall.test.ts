import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProjectService } from "../../../src/gen/metalstack/api/v2/project_pb.js";
import { UserService } from "../../../src/gen/metalstack/api/v2/user_pb.js";
import { createProject } from "../../../src/server/tenancy/projects.js";
import { ensureUser } from "../../../src/server/tenancy/users.js";
import { outcome, retryUntilOk } from "../../helpers/call-outcome.js";
import { postgresAvailable } from "../../helpers/components.js";
import { createPostgresDatabase, type TestDatabase } from "../../helpers/databases.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import { startTcpProxy, type TcpProxy } from "../../helpers/tcp-proxy.js";

const withPostgres = await postgresAvailable();

describe.runIf(withPostgres)("a PostgreSQL that stops answering (network stall)", () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let server: TestServer;
  let token: string;
  let project: string;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    proxy = await startTcpProxy(Number(new URL(database.url).port || 5432));
    const url = new URL(database.url);
    url.port = String(proxy.port);
    // More requests than pool connections below, so waiting for a free connection is bounded too.
    server = await startTestServer({
      databaseUrl: url.toString(),
      redisUrl: "",
      databaseTimeoutMs: 1000,
      databasePoolSize: 4,
    });
    await ensureUser(server.ctx, { id: "sam", name: "Sam", email: "sam@example.com" });
    project = (await createProject(server.ctx, "sam", "sam", { name: "stall", description: "", labels: {} }))
      .id;
    token = (await server.ctx.tokens.issueUserSession("sam")).accessToken;
  });
  afterAll(async () => {
    await server?.close();
    await proxy?.close();
    await database?.drop();
  });

  const clients = () => {
    const transport = createConnectTransport({
      baseUrl: server.url,
      httpVersion: "1.1",
      interceptors: [
        (next) => (req) => {
          req.header.set("authorization", `Bearer ${token}`);
          return next(req);
        },
      ],
    });
    return { users: createClient(UserService, transport), projects: createClient(ProjectService, transport) };
  };

  it("fails every call as unavailable while the database is still silent, then recovers by itself", async () => {
    const { users, projects } = clients();
    expect((await users.get({})).user?.id).toBe("sam");
    proxy.stall();
    try {
      // Reads and writes (transactions) alike, more of them than the pool has connections. They all
      // settle while the database stays silent: nothing waits for the network to come back.
      const calls = Array.from({ length: 12 }, (_, i) =>
        i % 2 === 0
          ? outcome(users.get({}))
          : outcome(projects.update({ project, updateMeta: {}, description: `during stall ${i}` })),
      );
      const results = await Promise.all(calls);
      expect(new Set(results)).toEqual(
        new Set(["Unavailable: the database is unavailable right now; retry shortly"]),
      );
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(503);
    } finally {
      proxy.restore();
    }
    // Same process, same pool: connections that timed out were replaced.
    const back = await retryUntilOk(() => users.get({}));
    expect(back.user?.id).toBe("sam");
    const updated = await retryUntilOk(() =>
      projects.update({ project, updateMeta: {}, description: "after the stall" }),
    );
    expect(updated.project?.description).toBe("after the stall");
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });
});
