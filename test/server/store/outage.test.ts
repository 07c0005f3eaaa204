import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserService } from "../../../src/gen/metalstack/api/v2/user_pb.js";
import { silentLogger } from "../../../src/server/log.js";
import { openRedis } from "../../../src/server/redis/client.js";
import { openDatabase } from "../../../src/server/store/db.js";
import { unavailableFrom } from "../../../src/server/store/unavailable.js";
import { ensureUser } from "../../../src/server/tenancy/users.js";
import { postgresAvailable, redisAvailable } from "../../helpers/components.js";
import { createPostgresDatabase, REDIS_TEST_URL, type TestDatabase } from "../../helpers/databases.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import { startTcpProxy, type TcpProxy } from "../../helpers/tcp-proxy.js";

const withPostgres = await postgresAvailable();
const withRedis = await redisAvailable();

/** eventually retries `fn` until it resolves, for reconnects that take a few backoff rounds. */
async function eventually<T>(fn: () => Promise<T>, attempts = 50): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe.runIf(withPostgres)("a short PostgreSQL outage", () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  beforeAll(async () => {
    database = await createPostgresDatabase();
    proxy = await startTcpProxy(Number(new URL(database.url).port || 5432));
  });
  afterAll(async () => {
    await proxy.close();
    await database.drop();
  });

  it("fails queries as 'database unavailable' and recovers without reopening", async () => {
    const url = new URL(database.url);
    url.port = String(proxy.port);
    const db = openDatabase({ databaseUrl: url.toString(), dataDir: "", onConnectionError: () => {} });
    try {
      await sql`select 1`.execute(db.kysely);
      proxy.cut();
      const err = await sql`select 1`.execute(db.kysely).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeDefined();
      expect(unavailableFrom(err)).toBe("database");
      await expect(db.ping()).rejects.toThrow("cannot reach PostgreSQL at 127.0.0.1:");
      proxy.restore();
      const row = await eventually(() => sql<{ one: number }>`select 1 as one`.execute(db.kysely));
      expect(row.rows[0]?.one).toBe(1);
    } finally {
      await db.close();
    }
  });

  it("does not take SQL errors for outages", async () => {
    const db = openDatabase({ databaseUrl: database.url, dataDir: "" });
    try {
      const err = await sql`select * from no_such_table`.execute(db.kysely).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeDefined();
      expect(unavailableFrom(err)).toBeUndefined();
    } finally {
      await db.close();
    }
  });
});

describe.runIf(withRedis)("a short Redis outage", () => {
  let proxy: TcpProxy;
  beforeAll(async () => {
    proxy = await startTcpProxy(Number(new URL(REDIS_TEST_URL).port || 6379));
  });
  afterAll(() => proxy.close());

  it("fails commands fast as 'redis unavailable' and recovers without reopening", async () => {
    const redis = await openRedis(`redis://127.0.0.1:${proxy.port}`, silentLogger);
    try {
      expect(await redis.ping()).toBe("PONG");
      proxy.cut();
      const err = await eventually(
        () =>
          redis.ping().then(
            () => Promise.reject(new Error("still answering")),
            (e: unknown) => e,
          ),
        20,
      );
      expect(unavailableFrom(err)).toBe("redis");
      proxy.restore();
      expect(await eventually(() => redis.ping())).toBe("PONG");
    } finally {
      redis.disconnect();
    }
  });

  it("does not take command errors for outages", async () => {
    const redis = await openRedis(REDIS_TEST_URL, silentLogger);
    try {
      const err = await redis.call("NO_SUCH_COMMAND").then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeDefined();
      expect(unavailableFrom(err)).toBeUndefined();
    } finally {
      redis.disconnect();
    }
  });
});

describe.runIf(withPostgres)("an API call while PostgreSQL is briefly gone", () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let server: TestServer;
  beforeAll(async () => {
    database = await createPostgresDatabase();
    proxy = await startTcpProxy(Number(new URL(database.url).port || 5432));
    const url = new URL(database.url);
    url.port = String(proxy.port);
    server = await startTestServer({ databaseUrl: url.toString(), redisUrl: "" });
  });
  afterAll(async () => {
    await server?.close();
    await proxy?.close();
    await database?.drop();
  });

  it("answers Unavailable (retry) instead of an internal error, and recovers without a restart", async () => {
    await ensureUser(server.ctx, { id: "uma", name: "Uma", email: "uma@example.com" });
    const { accessToken } = await server.ctx.tokens.issueUserSession("uma");
    const users = createClient(
      UserService,
      createConnectTransport({
        baseUrl: server.url,
        httpVersion: "1.1",
        interceptors: [
          (next) => (req) => {
            req.header.set("authorization", `Bearer ${accessToken}`);
            return next(req);
          },
        ],
      }),
    );
    expect((await users.get({})).user?.id).toBe("uma");
    proxy.cut();
    const err = await users.get({}).then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    expect(err?.code).toBe(Code.Unavailable);
    expect(err?.rawMessage).toBe("the database is unavailable right now; retry shortly");
    proxy.restore();
    const back = await eventually(() => users.get({}));
    expect(back.user?.id).toBe("uma");
  });
});
