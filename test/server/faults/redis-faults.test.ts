import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserService } from "../../../src/gen/metalstack/api/v2/user_pb.js";
import { ensureUser } from "../../../src/server/tenancy/users.js";
import { outcome, retryUntilOk } from "../../helpers/call-outcome.js";
import { type OwnRedis, ownRedisAvailable, startOwnRedis } from "../../helpers/redis-server.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";

const UNAVAILABLE = "Unavailable: the token and session store is unavailable right now; retry shortly";

describe.runIf(ownRedisAvailable())("a Redis of our own that freezes, dies and comes back", () => {
  let redis: OwnRedis;
  let server: TestServer;
  let users: ReturnType<typeof createClient<typeof UserService>>;

  beforeAll(async () => {
    redis = await startOwnRedis();
    server = await startTestServer({ redisUrl: redis.url });
    await ensureUser(server.ctx, { id: "rita", name: "Rita", email: "rita@example.com" });
    const { accessToken } = await server.ctx.tokens.issueUserSession("rita");
    users = createClient(
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
  });
  afterAll(async () => {
    await server?.close();
    await redis?.close();
  });

  it("fails calls as unavailable while Redis is frozen, and recovers when it thaws", async () => {
    expect(await outcome(users.get({}))).toBe("ok");
    redis.stop();
    try {
      // They settle while Redis is still frozen: nothing waits for it to wake up.
      const results = await Promise.all(Array.from({ length: 6 }, () => outcome(users.get({}))));
      expect(new Set(results)).toEqual(new Set([UNAVAILABLE]));
      expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    } finally {
      redis.resume();
    }
    expect((await retryUntilOk(() => users.get({}))).user?.id).toBe("rita");
  });

  it("fails calls as unavailable while Redis is down, and keeps the session once it is back", async () => {
    await redis.kill();
    expect(await outcome(users.get({}))).toBe(UNAVAILABLE);
    await redis.start();
    // The token issued before the crash still works: Redis kept it in its append-only file.
    expect((await retryUntilOk(() => users.get({}))).user?.id).toBe("rita");
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });
});
