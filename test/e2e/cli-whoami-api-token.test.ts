import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminRole, ProjectRole, TenantRole } from "../../src/gen/metalstack/api/v2/common_pb.js";
import { ensureUser } from "../../src/server/tenancy/users.js";
import { ciTokens } from "../helpers/ci-token.js";
import { type CliSandbox, createCliSandbox } from "../helpers/cli.js";
import { startTestServer, type TestServer } from "../helpers/start-server.js";
import { addProject, addTenant, setProjectRole } from "../server/authz/fixtures.js";

// Runs the BUILT CLI (npm run build): `whoami` with an API token (METALCTL_API_TOKEN), as CI uses it.

let server: TestServer;
let cli: CliSandbox;
const HOUR = 60 * 60 * 1000;

beforeAll(async () => {
  server = await startTestServer();
  await ensureUser(server.ctx, { id: "ci-owner", name: "CI Owner", email: "ci@example.com" });
  await addTenant(server.ctx, "t1");
  await addProject(server.ctx, "p1", "t1");
  await setProjectRole(server.ctx, "ci-owner", "p1", ProjectRole.EDITOR);
  cli = createCliSandbox();
});

afterAll(async () => {
  cli.cleanup();
  await server.close();
});

const whoami = (token: string, ...args: string[]) =>
  cli.run(["whoami", ...args], { env: { METALCTL_API_URL: server.url, METALCTL_API_TOKEN: token } });

describe("whoami with an API token", () => {
  it("names the token's owner, description, expiry and grants, without any grant to read itself", async () => {
    const { secret, token } = await server.ctx.tokens.issueApiToken({
      userId: "ci-owner",
      description: "deploy",
      projectRoles: { p1: ProjectRole.VIEWER },
      expiresAt: new Date(Date.now() + 8 * HOUR),
    });
    const r = await whoami(secret);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("User:        ci-owner (owner of the API token)");
    expect(r.stdout).toContain(`API token:   ${token.id} "deploy"\n`);
    expect(r.stdout).toContain("Grants:      project p1=viewer\n");
    // The token's only project is the one commands use.
    expect(r.stdout).toContain("Project:     p1\n");
    expect(r.stdout).toMatch(/Token: +expires in 8h /);
    expect(r.stdout).toContain("Credentials: environment");
  });

  it("shows the method grants too", async () => {
    const { secret, token } = await server.ctx.tokens.issueApiToken({
      userId: "ci-owner",
      description: "deploy",
      projectRoles: { p1: ProjectRole.VIEWER },
      permissions: [{ subject: "*", methods: ["/metalstack.api.v2.TokenService/Get"] }],
      expiresAt: new Date(Date.now() + HOUR),
    });
    const r = await whoami(secret);
    expect(r.stdout).toContain(`API token:   ${token.id} "deploy"`);
    expect(r.stdout).toContain("Grants:      project p1=viewer, 1 method");
    const json = JSON.parse((await whoami(secret, "-o", "json")).stdout);
    expect(json.apiToken).toMatchObject({
      id: token.id,
      owner: "ci-owner",
      token: { description: "deploy" },
    });
    expect(r.stdout).not.toContain("unknown");
  });

  it("works for an operator token as the README bootstraps it", async () => {
    await ensureUser(server.ctx, { id: "operator", name: "Operator", email: "" });
    const { secret } = await server.ctx.tokens.issueApiToken({
      userId: "operator",
      description: "bootstrap",
      adminRole: AdminRole.EDITOR,
      expiresAt: new Date(Date.now() + HOUR),
    });
    const r = await whoami(secret);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("User:        operator (owner of the API token)");
  });

  it("leaves a login session's whoami as it was", async () => {
    const { accessToken } = await server.ctx.tokens.issueUserSession("ci-owner");
    const r = await whoami(accessToken);
    expect(r.stdout).toContain("User:        CI Owner <ci@example.com> (ci-owner)");
    expect(r.stdout).not.toContain("API token:");
  });
});

describe("an API token scoped to exactly one project", () => {
  const { issue: ciToken, run } = ciTokens(
    () => server,
    () => cli,
    "ci-owner",
  );

  beforeAll(async () => {
    await addProject(server.ctx, "p2", "t1");
    await setProjectRole(server.ctx, "ci-owner", "p2", ProjectRole.EDITOR);
  });

  it("uses that project without --project or METALCTL_PROJECT", async () => {
    const token = await ciToken({ projectRoles: { p1: ProjectRole.VIEWER } });
    const r = await run(token, ["ip", "list", "-o", "json"]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(JSON.parse(r.stdout)).toEqual([]);
    // A project named explicitly still wins: p2 is not the token's, so the server refuses it.
    const other = await run(token, ["ip", "list"], { METALCTL_PROJECT: "p2" });
    expect(other.code).not.toBe(0);
  });

  it.each([
    [{ projectRoles: { p1: ProjectRole.VIEWER, p2: ProjectRole.VIEWER } }, "projects p1, p2"],
    [
      { projectRoles: { p1: ProjectRole.VIEWER }, tenantRoles: { t1: TenantRole.VIEWER } },
      "projects p1 and tenants t1",
    ],
    [{ tenantRoles: { t1: TenantRole.VIEWER } }, "tenants t1"],
  ])("does not guess for a token with %j", async (grants, has) => {
    const r = await run(await ciToken(grants), ["ip", "list"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `Error: no project selected, and the API token is not scoped to exactly one project (it has ${has}) — pass --project or set METALCTL_PROJECT`,
    );
  });

  it("a revoked token is told to log in, not to pick a project", async () => {
    const { secret, token } = await server.ctx.tokens.issueApiToken({
      userId: "ci-owner",
      description: "gone",
      projectRoles: { p1: ProjectRole.VIEWER },
      expiresAt: new Date(Date.now() + HOUR),
    });
    await server.ctx.tokens.revoke(token);
    const r = await run(secret, ["ip", "list"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("token was revoked");
  });
});
