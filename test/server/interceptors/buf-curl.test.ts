import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import { addUser } from "../authz/fixtures.js";

const run = promisify(execFile);
const buf = path.resolve(import.meta.dirname, "../../../node_modules/.bin/buf");

/** bufCurl calls the server with `buf curl` over gRPC (h2c), resolving the schema by server reflection only. */
async function bufCurl(args: string[]): Promise<{ ok: boolean; out: string }> {
  try {
    const { stdout } = await run(
      buf,
      ["curl", "--protocol", "grpc", "--http2-prior-knowledge", "--reflect", ...args],
      {
        timeout: 30_000,
      },
    );
    return { ok: true, out: stdout };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { ok: false, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

describe("a standard client that is not ours (buf curl + gRPC reflection)", () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer();
    await addUser(server.ctx, "ivy");
    token = (await server.ctx.tokens.issueUserSession("ivy")).accessToken;
  });
  afterAll(() => server.close());

  it("lists the services through reflection", async () => {
    const res = await bufCurl(["--list-methods", server.url]);
    expect(res.ok).toBe(true);
    expect(res.out).toContain("metalstack.api.v2.TokenService/Create");
    expect(res.out).toContain("metalstack.api.v2.HealthService/Get");
  });

  it("calls the public health method without a token", async () => {
    const res = await bufCurl([`${server.url}/metalstack.api.v2.HealthService/Get`]);
    expect(res.ok).toBe(true);
    expect(JSON.parse(res.out)).toMatchObject({ status: "SERVICE_STATUS_HEALTHY" });
  });

  it("calls a self-scoped method with a bearer token and is refused without one", async () => {
    const ok = await bufCurl([
      "-H",
      `authorization: Bearer ${token}`,
      "-d",
      "{}",
      `${server.url}/metalstack.api.v2.TokenService/List`,
    ]);
    expect(ok.ok).toBe(true);
    expect(JSON.parse(ok.out).tokens[0]).toMatchObject({ user: "ivy", tokenType: "TOKEN_TYPE_USER" });
    const denied = await bufCurl(["-d", "{}", `${server.url}/metalstack.api.v2.TokenService/List`]);
    expect(denied.ok).toBe(false);
    expect(denied.out).toContain("unauthenticated");
  });
});
