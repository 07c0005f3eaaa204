import net from "node:net";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HealthService, ServiceStatus } from "../../../src/gen/metalstack/api/v2/health_pb.js";
import { readinessChecks } from "../../../src/server/http/health.js";
import { redisAvailable } from "../../helpers/components.js";
import { REDIS_TEST_URL } from "../../helpers/databases.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";

const withRedis = await redisAvailable();

describe("health, readiness and metrics endpoints", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("answers /healthz without a token", async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("answers /readyz with the database check", async () => {
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(200);
    // METAL_TEST_REDIS=1 gives every test server Redis, and with it a second check.
    const redis = server.ctx.redis ? { redis: "ok" } : {};
    expect(await res.json()).toEqual({ status: "ready", checks: { database: "ok", ...redis } });
  });

  it("does not serve look-alike paths", async () => {
    expect((await fetch(`${server.url}/healthzz`)).status).toBe(404);
    expect((await fetch(`${server.url}/metrics/x`)).status).toBe(404);
  });

  it("counts RPCs per procedure, code and decision, with a latency histogram", async () => {
    const client = createClient(
      HealthService,
      createConnectTransport({ baseUrl: server.url, httpVersion: "1.1" }),
    );
    await client.get({});
    await client.get({});
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    const text = await res.text();
    const procedure = "/metalstack.api.v2.HealthService/Get";
    expect(text).toContain("# TYPE metal_rpc_requests_total counter");
    expect(text).toContain(
      `metal_rpc_requests_total{procedure="${procedure}",code="ok",decision="allowed"} 2`,
    );
    expect(text).toContain("# TYPE metal_rpc_duration_seconds histogram");
    expect(text).toContain(`metal_rpc_duration_seconds_bucket{procedure="${procedure}",le="+Inf"} 2`);
    expect(text).toContain(`metal_rpc_duration_seconds_count{procedure="${procedure}"} 2`);
  });
});

describe("readiness when a dependency is gone", () => {
  it("HealthService.Get answers healthy for concurrent calls, then unhealthy once the database is closed", async () => {
    const server = await startTestServer();
    try {
      const client = createClient(
        HealthService,
        createConnectTransport({ baseUrl: server.url, httpVersion: "1.1" }),
      );
      // Calls at once may share one ping; each still gets the database's answer.
      const answers = await Promise.all(Array.from({ length: 8 }, () => client.get({})));
      for (const a of answers) {
        expect(a.status).toBe(ServiceStatus.HEALTHY);
        expect(a.subsystems.map((s) => [s.name, s.status])).toEqual([["database", ServiceStatus.HEALTHY]]);
      }
      await server.ctx.db.close();
      const after = await client.get({});
      expect(after.status).toBe(ServiceStatus.UNHEALTHY);
      expect(after.subsystems[0]?.status).toBe(ServiceStatus.UNHEALTHY);
      await expect(server.ctx.db.ping()).rejects.toThrow();
    } finally {
      await server.close().catch(() => undefined);
    }
  });

  it("reports 503 naming the database once the database is closed", async () => {
    const server = await startTestServer();
    try {
      await server.ctx.db.close();
      const res = await fetch(`${server.url}/readyz`);
      expect(res.status).toBe(503);
      const redis = server.ctx.redis ? { redis: "ok" } : {};
      expect(await res.json()).toEqual({
        status: "not ready",
        checks: { database: "unavailable", ...redis },
      });
    } finally {
      await server.close().catch(() => undefined);
    }
  });

  it.runIf(withRedis)("checks Redis when one is configured, and reports 503 when it is gone", async () => {
    const server = await startTestServer({ redisUrl: REDIS_TEST_URL });
    try {
      expect(readinessChecks(server.ctx).map((c) => c.name)).toEqual(["database", "redis"]);
      let res = await fetch(`${server.url}/readyz`);
      expect(await res.json()).toEqual({ status: "ready", checks: { database: "ok", redis: "ok" } });
      server.ctx.redis?.disconnect();
      res = await fetch(`${server.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        status: "not ready",
        checks: { database: "ok", redis: "unavailable" },
      });
    } finally {
      await server.close();
    }
  });

  it("refuses to start when Redis is unreachable, naming where without the password", async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    await expect(startTestServer({ redisUrl: `redis://:r3dis-pw@127.0.0.1:${port}/2` })).rejects.toThrow(
      `cannot reach Redis at 127.0.0.1:${port}/2`,
    );
    await expect(startTestServer({ redisUrl: `redis://:r3dis-pw@127.0.0.1:${port}/2` })).rejects.not.toThrow(
      "r3dis-pw",
    );
  });
});

describe("RpcMetrics", () => {
  it("labels refusals with their decision and escapes label values", async () => {
    const { RpcMetrics } = await import("../../../src/server/http/metrics.js");
    const { Code } = await import("@connectrpc/connect");
    const m = new RpcMetrics();
    m.observe("/p.S/Get", Code.PermissionDenied, 0.003);
    m.observe("/p.S/Get", Code.Unauthenticated, 0.002);
    m.observe("/p.S/Get", Code.ResourceExhausted, 0.001);
    m.observe("/p.S/Get", Code.NotFound, 0.02);
    m.observe('/p.S/"odd"', undefined, 20);
    const text = m.render();
    expect(text).toContain(
      'metal_rpc_requests_total{procedure="/p.S/Get",code="permission_denied",decision="denied"} 1',
    );
    expect(text).toContain(
      'metal_rpc_requests_total{procedure="/p.S/Get",code="unauthenticated",decision="unauthenticated"} 1',
    );
    expect(text).toContain(
      'metal_rpc_requests_total{procedure="/p.S/Get",code="resource_exhausted",decision="rate_limited"} 1',
    );
    expect(text).toContain(
      'metal_rpc_requests_total{procedure="/p.S/Get",code="not_found",decision="allowed"} 1',
    );
    expect(text).toContain('metal_rpc_duration_seconds_bucket{procedure="/p.S/Get",le="0.005"} 3');
    expect(text).toContain('metal_rpc_duration_seconds_bucket{procedure="/p.S/Get",le="0.025"} 4');
    expect(text).toContain('metal_rpc_duration_seconds_bucket{procedure="/p.S/\\"odd\\"",le="10"} 0');
    expect(text).toContain('metal_rpc_duration_seconds_bucket{procedure="/p.S/\\"odd\\"",le="+Inf"} 1');
  });
});
