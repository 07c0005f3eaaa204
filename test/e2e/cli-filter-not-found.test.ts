import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminRole } from "../../src/gen/metalstack/api/v2/common_pb.js";
import { ensureUser } from "../../src/server/tenancy/users.js";
import { type CliSandbox, createCliSandbox } from "../helpers/cli.js";
import { startTestServer, type TestServer } from "../helpers/start-server.js";

// Runs the BUILT CLI (npm run build): a list filter the server finds nothing for is exit 5 (not found)
// with the server's message naming the flag's field and value, never an empty table with exit 0.

let server: TestServer;
let cli: CliSandbox;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  await ensureUser(server.ctx, { id: "ops", name: "Ops", email: "", adminRole: AdminRole.VIEWER });
  token = (
    await server.ctx.tokens.issueApiToken({
      userId: "ops",
      description: "ops",
      adminRole: AdminRole.VIEWER,
      expiresAt: new Date(Date.now() + 3_600_000),
    })
  ).secret;
  cli = createCliSandbox();
});

afterAll(async () => {
  cli.cleanup();
  await server.close();
});

const run = (...args: string[]) =>
  cli.run(args, { env: { METALCTL_API_URL: server.url, METALCTL_API_TOKEN: token } });

describe("list filters naming nothing", () => {
  it.each([
    [["admin", "machine", "list", "--tenant", "nosuch"], 'tenant: tenant "nosuch" not found'],
    [["admin", "audit", "list", "--tenant", "nosuch"], 'tenant: tenant "nosuch" not found'],
  ])("metalctl %j exits 5 naming the tenant", async (args, message) => {
    const r = await run(...args);
    expect([r.code, r.stdout]).toEqual([5, ""]);
    expect(r.stderr).toContain(`Error: ${message}; name a tenant by its ID (metalctl admin tenant list)`);
  });

  it("the same list with a tenant that exists answers (empty) with exit 0", async () => {
    const r = await run("admin", "machine", "list", "--tenant", "ops", "-o", "json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
});
