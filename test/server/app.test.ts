import { createClient } from "@connectrpc/connect";
import {
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
} from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HealthService, ServiceStatus } from "../../src/gen/metalstack/api/v2/health_pb.js";
import { VersionService } from "../../src/gen/metalstack/api/v2/version_pb.js";
import { startTestServer, type TestServer } from "../helpers/start-server.js";

describe("api server transport", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it.each([
    ["connect over HTTP/1.1", () => createConnectTransport({ baseUrl: server.url, httpVersion: "1.1" })],
    ["connect over h2c", () => createConnectTransport({ baseUrl: server.url, httpVersion: "2" })],
    ["gRPC over h2c", () => createGrpcTransport({ baseUrl: server.url })],
    ["gRPC-Web over HTTP/1.1", () => createGrpcWebTransport({ baseUrl: server.url, httpVersion: "1.1" })],
  ])("answers health with %s on the same port", async (_name, transport) => {
    const res = await createClient(HealthService, transport()).get({});
    expect(res.status).toBe(ServiceStatus.HEALTHY);
    expect(res.subsystems.map((s) => s.name)).toContain("database");
  });

  it("reports the package version", async () => {
    const transport = createConnectTransport({ baseUrl: server.url, httpVersion: "1.1" });
    const res = await createClient(VersionService, transport).get({});
    expect(res.version?.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("answers unknown paths with 404", async () => {
    const res = await fetch(`${server.url}/nope`);
    expect(res.status).toBe(404);
  });
});
