import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProjectRole, TenantRole } from "../../src/gen/metalstack/api/v2/common_pb.js";
import { createProject } from "../../src/server/tenancy/projects.js";
import { ensureUser } from "../../src/server/tenancy/users.js";
import { ciTokens } from "../helpers/ci-token.js";
import { type CliSandbox, createCliSandbox } from "../helpers/cli.js";
import { startTestServer, type TestServer } from "../helpers/start-server.js";
import { addTenant, setTenantRole } from "../server/authz/fixtures.js";

// Runs the BUILT CLI (npm run build) with an API token (METALCTL_API_TOKEN) that may not call
// ProjectService/List or TenantService/List: names resolve among the projects and tenants it is granted.

let server: TestServer;
let cli: CliSandbox;
let web: string;
let db: string;
let hidden: string;
const HOUR = 60 * 60 * 1000;

beforeAll(async () => {
  server = await startTestServer();
  await ensureUser(server.ctx, { id: "ci-owner", name: "CI Owner", email: "ci@example.com" });
  await addTenant(server.ctx, "acme");
  await setTenantRole(server.ctx, "ci-owner", "acme", TenantRole.OWNER);
  // The owner holds all three projects; the tokens below are granted only some of them.
  web = (await createProject(server.ctx, "acme", "ci-owner", { name: "web", description: "", labels: {} }))
    .id;
  db = (await createProject(server.ctx, "acme", "ci-owner", { name: "db", description: "", labels: {} })).id;
  hidden = (
    await createProject(server.ctx, "acme", "ci-owner", {
      name: "secret-launch",
      description: "",
      labels: {},
    })
  ).id;
  cli = createCliSandbox();
});

afterAll(async () => {
  cli?.cleanup();
  await server?.close();
});

const { issue: ciToken, run } = ciTokens(
  () => server,
  () => cli,
  "ci-owner",
);

describe("an API token names its projects by name", () => {
  it("selects its project by name through METALCTL_PROJECT and --project", async () => {
    const token = await ciToken({ projectRoles: { [web]: ProjectRole.VIEWER, [db]: ProjectRole.VIEWER } });
    for (const args of [
      ["ip", "list"],
      ["machine", "list"],
    ]) {
      const byEnv = await run(token, [...args, "-o", "json"], { METALCTL_PROJECT: "web" });
      expect([byEnv.code, byEnv.stderr]).toEqual([0, ""]);
      expect(JSON.parse(byEnv.stdout)).toEqual([]);
      const byFlag = await run(token, [...args, "--project", "web", "-o", "json"]);
      expect([byFlag.code, byFlag.stderr]).toEqual([0, ""]);
    }
    // A unique ID prefix names it too, as for a login session.
    const byPrefix = await run(token, ["ip", "list", "--project", db.slice(0, 8), "-o", "json"]);
    expect([byPrefix.code, byPrefix.stderr]).toEqual([0, ""]);
  });

  it("lists the projects it is granted, by name", async () => {
    const token = await ciToken({ projectRoles: { [web]: ProjectRole.VIEWER } });
    const r = await run(token, ["project", "list", "-o", "json"]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(JSON.parse(r.stdout).map((p: { id: string; name: string }) => [p.id, p.name])).toEqual([
      [web, "web"],
    ]);
  });

  it("refuses an unknown name with exit 5", async () => {
    const token = await ciToken({ projectRoles: { [web]: ProjectRole.VIEWER } });
    const r = await run(token, ["ip", "list"], { METALCTL_PROJECT: "nosuch" });
    expect(r).toMatchObject({ code: 5, stdout: "" });
    expect(r.stderr).toContain('no project "nosuch" among the projects you can use');
  });

  it("refuses a name shared by two of its projects with exit 2, listing both", async () => {
    await addTenant(server.ctx, "other");
    await setTenantRole(server.ctx, "ci-owner", "other", TenantRole.OWNER);
    const twin = (
      await createProject(server.ctx, "other", "ci-owner", { name: "web", description: "", labels: {} })
    ).id;
    const token = await ciToken({ projectRoles: { [web]: ProjectRole.VIEWER, [twin]: ProjectRole.VIEWER } });
    const r = await run(token, ["ip", "list", "--project", "web"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('project "web" is ambiguous: 2 match');
    expect(r.stderr).toContain(`${web} (web, tenant acme)`);
    expect(r.stderr).toContain(`${twin} (web, tenant other)`);
  });

  it("cannot learn the name of a project it holds no grant on, though its owner can use it", async () => {
    const token = await ciToken({ projectRoles: { [web]: ProjectRole.VIEWER } });
    const byName = await run(token, ["ip", "list", "--project", "secret-launch"]);
    expect(byName.code).toBe(5);
    expect(byName.stderr).toContain('no project "secret-launch"');
    const byPrefix = await run(token, ["ip", "list", "--project", hidden.slice(0, 8)]);
    expect(byPrefix.code).toBe(5);
    const listed = await run(token, ["project", "list", "-o", "json"]);
    expect(listed.stdout).not.toContain("secret-launch");
    expect(listed.stdout).not.toContain(hidden);
    // The owner's login session does see it: the token, not the user, limits what it learns.
    const { accessToken } = await server.ctx.tokens.issueUserSession("ci-owner");
    expect((await run(accessToken, ["project", "list", "-o", "json"])).stdout).toContain("secret-launch");
  });

  it("leaves out a granted project its owner no longer holds a role on", async () => {
    await ensureUser(server.ctx, { id: "leaver", name: "Leaver", email: "" });
    const token = (
      await server.ctx.tokens.issueApiToken({
        userId: "leaver",
        description: "ci",
        projectRoles: { [web]: ProjectRole.VIEWER },
        expiresAt: new Date(Date.now() + HOUR),
      })
    ).secret;
    const r = await run(token, ["ip", "list", "--project", "web"]);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('no project "web"');
  });
});

describe("an API token names its tenants by name", () => {
  it("creates a project in a tenant named by name, and cannot name a tenant it holds no grant on", async () => {
    await addTenant(server.ctx, "t-ops");
    await server.ctx.db.kysely
      .updateTable("tenants")
      .set({ name: "Ops Team" })
      .where("id", "=", "t-ops")
      .execute();
    await setTenantRole(server.ctx, "ci-owner", "t-ops", TenantRole.OWNER);
    const token = await ciToken({ tenantRoles: { "t-ops": TenantRole.OWNER } });
    const made = await run(token, [
      "project",
      "create",
      "--tenant",
      "Ops Team",
      "--name",
      "ops-web",
      "-o",
      "json",
    ]);
    expect(made.code, made.stderr).toBe(0);
    expect(JSON.parse(made.stdout).tenant).toBe("t-ops");
    const listed = await run(token, ["tenant", "list", "-o", "json"]);
    expect(JSON.parse(listed.stdout).map((t: { id: string }) => t.id)).toEqual(["t-ops"]);
    const other = await run(token, ["project", "create", "--tenant", "acme", "--name", "x"]);
    expect(other.code).toBe(5);
    expect(other.stderr).toContain('no tenant "acme" among the tenants you can use');
  });
});
