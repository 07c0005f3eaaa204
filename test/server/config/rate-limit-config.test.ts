import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, describe, expect, it } from "vitest";
import { HealthService } from "../../../src/gen/metalstack/api/v2/health_pb.js";
import { UserService } from "../../../src/gen/metalstack/api/v2/user_pb.js";
import { ConfigError, DEFAULT_RATE_LIMITS } from "../../../src/server/config.js";
import { serveConfig } from "../../../src/server/main.js";
import { startTestServer } from "../../helpers/start-server.js";
import { addUser, bearer } from "../authz/fixtures.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "metal-rate-config-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function configFile(text: string): string {
  const file = path.join(tmp, `config-${Math.random().toString(36).slice(2)}.yaml`);
  fs.writeFileSync(file, text);
  return file;
}

describe("rate limit settings", () => {
  it("default to 2000 calls/s per address and 1000 per user", () => {
    expect(serveConfig([], {}).rateLimits).toEqual({ perAddress: 2000, perUser: 1000 });
    expect(DEFAULT_RATE_LIMITS).toEqual({ perAddress: 2000, perUser: 1000 });
  });

  it("read the file, then the environment, then the flags, each winning over the one before", () => {
    const file = configFile("rate-limit-per-address: 50\nrate-limit-per-user: 40\n");
    expect(serveConfig(["--config", file], {}).rateLimits).toEqual({ perAddress: 50, perUser: 40 });
    expect(serveConfig(["--config", file], { METAL_APISERVER_RATE_LIMIT_PER_USER: "20" }).rateLimits).toEqual(
      { perAddress: 50, perUser: 20 },
    );
    expect(
      serveConfig(["--config", file, "--rate-limit-per-address", "7"], {
        METAL_APISERVER_RATE_LIMIT_PER_ADDRESS: "30",
      }).rateLimits,
    ).toEqual({ perAddress: 7, perUser: 40 });
  });

  it("take 0 as off", () => {
    expect(
      serveConfig(["--rate-limit-per-address", "0", "--rate-limit-per-user", "0"], {}).rateLimits,
    ).toEqual({
      perAddress: 0,
      perUser: 0,
    });
  });

  it.each([
    ["a negative rate", "-1"],
    ["a fraction", "1.5"],
    ["a word", "many"],
    ["more than a million", "1000001"],
  ])("refuse %s, naming where it came from", (_name, value) => {
    const range = "must be a whole number from 0 to 1000000";
    expect(() => serveConfig([`--rate-limit-per-address=${value}`], {})).toThrow(ConfigError);
    expect(() => serveConfig([`--rate-limit-per-address=${value}`], {})).toThrow(
      `--rate-limit-per-address: "${value}" ${range}`,
    );
    expect(() => serveConfig([], { METAL_APISERVER_RATE_LIMIT_PER_USER: value })).toThrow(
      `METAL_APISERVER_RATE_LIMIT_PER_USER: "${value}" ${range}`,
    );
    const file = configFile(`rate-limit-per-user: "${value}"\n`);
    expect(() => serveConfig(["--config", file], {})).toThrow(
      `config file ${file}: key "rate-limit-per-user": "${value}" ${range}`,
    );
  });
});

async function outcomes(calls: Promise<unknown>[]): Promise<{ ok: number; refused: ConnectError[] }> {
  const results = await Promise.all(
    calls.map((c) => c.then(() => undefined).catch((e) => ConnectError.from(e))),
  );
  return {
    ok: results.filter((r) => r === undefined).length,
    refused: results.filter((r): r is ConnectError => r?.code === Code.ResourceExhausted),
  };
}

describe("configured rate limits on the real server", () => {
  const CALLS = 10;

  it("refuses calls of one address beyond its burst (twice the rate)", async () => {
    const { rateLimits } = serveConfig(["--rate-limit-per-address", "1"], {});
    const server = await startTestServer({ rateLimits });
    try {
      const health = createClient(
        HealthService,
        createConnectTransport({ baseUrl: server.url, httpVersion: "1.1" }),
      );
      const { ok, refused } = await outcomes(Array.from({ length: CALLS }, () => health.get({})));
      expect(ok).toBeGreaterThanOrEqual(2);
      expect(refused.length).toBeGreaterThan(0);
      expect(ok + refused.length).toBe(CALLS);
      expect(refused[0]?.rawMessage).toMatch(/too many requests from this client address; retry in \d+s/);
    } finally {
      await server.close();
    }
  });

  it("refuses calls of one user beyond its burst while another user and the address limit (off) let calls through", async () => {
    const { rateLimits } = serveConfig([], {
      METAL_APISERVER_RATE_LIMIT_PER_ADDRESS: "0",
      METAL_APISERVER_RATE_LIMIT_PER_USER: "1",
    });
    const server = await startTestServer({ rateLimits });
    try {
      await addUser(server.ctx, "busy");
      await addUser(server.ctx, "calm");
      const users = (token: string) =>
        createClient(
          UserService,
          createConnectTransport({ baseUrl: server.url, httpVersion: "1.1", interceptors: [bearer(token)] }),
        );
      const busy = users((await server.ctx.tokens.issueUserSession("busy")).accessToken);
      const calm = users((await server.ctx.tokens.issueUserSession("calm")).accessToken);
      const { refused } = await outcomes(Array.from({ length: CALLS }, () => busy.get({})));
      expect(refused.length).toBeGreaterThan(0);
      expect(refused[0]?.rawMessage).toMatch(/too many requests from this user/);
      expect((await calm.get({})).user?.id).toBe("calm");
      // Without an address limit, public calls (no user) from the same address all pass.
      const health = createClient(
        HealthService,
        createConnectTransport({ baseUrl: server.url, httpVersion: "1.1" }),
      );
      expect((await outcomes(Array.from({ length: CALLS }, () => health.get({})))).ok).toBe(CALLS);
    } finally {
      await server.close();
    }
  });
});
