import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createProject } from "../../src/server/tenancy/projects.js";
import { ensureUser } from "../../src/server/tenancy/users.js";
import { type CliSandbox, createCliSandbox } from "../helpers/cli.js";
import { startTestServer, type TestServer } from "../helpers/start-server.js";

// Runs the BUILT CLI (npm run build) against the in-process server.
let server: TestServer;
let cli: CliSandbox;
let projectId: string;
let accessToken: string;

beforeAll(async () => {
  server = await startTestServer({}, { stdout: () => {} });
  await ensureUser(server.ctx, { id: "alice", name: "Alice", email: "alice@example.com" });
  projectId = (
    await createProject(server.ctx, "alice", "alice", { name: "web", description: "", labels: {} })
  ).id;
  accessToken = (await server.ctx.tokens.issueUserSession("alice")).accessToken;
  cli = createCliSandbox();
});

afterAll(async () => {
  cli?.cleanup();
  await server?.close();
});

const config = () => parse(fs.readFileSync(path.join(cli.configDir, "config.yaml"), "utf8"));

describe("metalctl session against the API server", { timeout: 120_000 }, () => {
  it("logs in with a token from stdin, falls back to a 0600 file, and picks the only project", async () => {
    const r = await cli.run(["login", "--with-token", "--api-url", server.url, "--context", "lab"], {
      input: `${accessToken}\n`,
    });
    expect(r.stderr).toContain("no usable OS keychain");
    expect(r.stderr).toContain('as Alice <alice@example.com> (context "lab"');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    const creds = path.join(cli.configDir, "credentials.yaml");
    expect(fs.statSync(creds).mode & 0o777).toBe(0o600);
    expect(config()).toMatchObject({
      current: "lab",
      contexts: [{ name: "lab", apiUrl: server.url, credentialStorage: "file", defaultProject: projectId }],
    });
    expect(fs.readFileSync(path.join(cli.configDir, "config.yaml"), "utf8")).not.toContain(accessToken);
  });

  it("shows who is logged in where, never the token", async () => {
    const r = await cli.run(["whoami"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Alice <alice@example.com> (alice)");
    expect(r.stdout).toContain(`API URL:     ${server.url}`);
    expect(r.stdout).toContain("Credentials: file");
    expect(r.stdout).toMatch(/web\s+alice\s+owner/);
    expect(r.stdout + r.stderr).not.toContain(accessToken);
    const json = JSON.parse((await cli.run(["auth", "status", "-o", "json"])).stdout);
    expect(json).toMatchObject({
      context: "lab",
      storage: "file",
      user: { id: "alice" },
      defaultProject: projectId,
    });
    expect((await cli.run(["auth", "token"])).stdout.trim()).toBe(accessToken);
    const debug = await cli.run(["whoami", "--debug"]);
    expect(debug.stderr).toContain("→ POST");
    expect(debug.stderr).toContain("/metalstack.api.v2.UserService/Get");
    expect(debug.stderr).not.toContain(accessToken);
  });

  it("switches contexts and goes back with -", async () => {
    expect((await cli.run(["context", "add", "other", "--api-url", "http://127.0.0.1:9"])).code).toBe(0);
    expect((await cli.run(["context", "use", "other"])).code).toBe(0);
    expect(config().current).toBe("other");
    const list = await cli.run(["context", "list", "--no-headers"]);
    expect(list.stdout).toMatch(/^\s+lab\s/m);
    expect(list.stdout).toMatch(/^\*\s+other\s/m);
    const unreachable = await cli.run(["project", "list"]);
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toContain('not logged in to context "other"');
    expect((await cli.run(["context", "use", "-"])).code).toBe(0);
    expect(config()).toMatchObject({ current: "lab", previous: "other" });
  });

  it("sets the project by name and lists projects", async () => {
    const set = await cli.run(["project", "set", "web"]);
    expect(set.code).toBe(0);
    expect(set.stderr).toContain(`web (${projectId})`);
    const list = await cli.run(["project", "list", "-o", "template", "--template", "{{ .id }} {{ .name }}"]);
    expect(list.stdout).toBe(`${projectId} web\n`);
    const missing = await cli.run(["project", "set", "nope"]);
    expect(missing.code).toBe(5);
    expect(missing.stderr).toContain('no project "nope" among the projects you can use');
  });

  it("creates a scoped API token, uses it via METALCTL_API_TOKEN, and revokes it", async () => {
    const created = await cli.run([
      "token",
      "create",
      "--description",
      "ci",
      "--expires",
      "1d",
      "--project-role",
      `${projectId}=viewer`,
      "-o",
      "json",
    ]);
    expect(created.code).toBe(0);
    expect(created.stderr).toContain("shown only once");
    const { secret, token } = JSON.parse(created.stdout);
    expect(token.description).toBe("ci");
    expect(token.projectRoles).toEqual({ [projectId]: "PROJECT_ROLE_VIEWER" });

    const list = await cli.run(["token", "list", "-o", "json"]);
    expect(JSON.parse(list.stdout).map((t: { uuid: string }) => t.uuid)).toContain(token.uuid);

    const ci = { METALCTL_API_TOKEN: secret, METALCTL_API_URL: server.url, METALCTL_CONTEXT: "" };
    const sandbox = createCliSandbox();
    try {
      const get = await sandbox.run(["project", "describe", projectId, "-o", "json"], { env: ci });
      expect(get.code).toBe(0);
      expect(JSON.parse(get.stdout).name).toBe("web");
      const notAllowed = await sandbox.run(["token", "list"], { env: ci });
      expect(notAllowed.code).toBe(4);

      expect((await cli.run(["token", "revoke", token.uuid])).code).toBe(0);
      const revoked = await sandbox.run(["project", "describe", projectId], { env: ci });
      expect(revoked.code).toBe(3);
      expect(revoked.stderr).toContain("metalctl login");
    } finally {
      sandbox.cleanup();
    }
  });

  it("grants single methods, project-scoped ones on the current project", async () => {
    const r = await cli.run([
      "token",
      "create",
      "--expires",
      "1h",
      "--permission",
      "ProjectService/Get",
      "-o",
      "json",
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).token.permissions).toEqual([
      { subject: projectId, methods: ["/metalstack.api.v2.ProjectService/Get"] },
    ]);
    const unknown = await cli.run(["token", "create", "--expires", "1h", "--permission", "NopeService/Get"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown method /metalstack.api.v2.NopeService/Get");
  });

  it("refreshes an API token: a new secret with the same grants, the old one revoked", async () => {
    const created = await cli.run([
      "token",
      "create",
      "--expires",
      "1d",
      "--project-role",
      `${projectId}=viewer`,
      "-o",
      "json",
    ]);
    const old = JSON.parse(created.stdout);
    const refreshed = await cli.run(["token", "refresh", old.token.uuid, "--expires", "2d", "-o", "json"]);
    expect(refreshed.code).toBe(0);
    expect(refreshed.stderr).toContain("shown only once");
    const next = JSON.parse(refreshed.stdout);
    expect(next.secret).not.toBe(old.secret);
    expect(next.token.projectRoles).toEqual({ [projectId]: "PROJECT_ROLE_VIEWER" });
    await expect(server.ctx.tokens.authenticate(old.secret)).rejects.toThrow();
    await expect(server.ctx.tokens.authenticate(next.secret)).resolves.toBeDefined();
  });

  it("maps usage errors and missing resources to their exit codes", async () => {
    const noExpiry = await cli.run(["token", "create", "--project-role", `${projectId}=viewer`]);
    expect(noExpiry.code).toBe(2);
    const badRole = await cli.run([
      "token",
      "create",
      "--expires",
      "1d",
      "--project-role",
      `${projectId}=boss`,
    ]);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain('"boss" is not a role');
    const missing = await cli.run(["token", "describe", "00000000-0000-4000-8000-000000000000"]);
    expect(missing.code).toBe(5);
    const noProject = await cli.run(["project", "describe"], { env: { METALCTL_CONTEXT: "other" } });
    expect(noProject.code).toBe(2);
    expect(noProject.stderr).toContain("metalctl project set");
  });

  it("logs out: revokes server-side and deletes the local credentials", async () => {
    const r = await cli.run(["logout"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Logged out of context "lab"');
    expect(parse(fs.readFileSync(path.join(cli.configDir, "credentials.yaml"), "utf8")) ?? {}).toEqual({});
    await expect(server.ctx.tokens.authenticate(accessToken)).rejects.toThrow();
    const after = await cli.run(["whoami"]);
    expect(after.code).toBe(3);
  });

  it("updates and removes a context", async () => {
    const upd = await cli.run([
      "context",
      "update",
      "other",
      "--default-project",
      "p-x",
      "--default-output",
      "yaml",
    ]);
    expect(upd.code).toBe(0);
    const shown = await cli.run(["context", "show", "other", "-o", "yaml"]);
    expect(parse(shown.stdout)).toMatchObject({ name: "other", defaultProject: "p-x", output: "yaml" });
    expect((await cli.run(["context", "update", "other"])).code).toBe(2);
    expect((await cli.run(["context", "remove", "other"])).code).toBe(0);
    expect(config().contexts.map((c: { name: string }) => c.name)).toEqual(["lab"]);
    expect(config().previous).toBeUndefined();
    expect((await cli.run(["context", "use", "other"])).code).toBe(2);
  });
});
