import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, runCli, spawnCli } from "../helpers/cli.js";
import { type DemoWorld, startDemoWorld } from "./cli-resources-harness.js";

interface Entry {
  id: string;
  time: string;
  user?: string;
  method: string;
  code: string;
  project?: string;
  tenant?: string;
  requestId: string;
  request?: string;
}

let world: DemoWorld;
let owner: NodeJS.ProcessEnv;
let outsider: NodeJS.ProcessEnv;
let admin: NodeJS.ProcessEnv;

beforeAll(async () => {
  world = await startDemoWorld();
  owner = cliEnv(world.home(), world.server.url, world.demoToken, world.project);
  outsider = cliEnv(world.home(), world.server.url, world.outsiderToken);
  admin = cliEnv(world.home(), world.server.url, world.adminToken);
  // Something to find: the owner describes the project, the outsider is denied the same call.
  expect((await runCli(["project", "describe", world.project], owner)).code).toBe(0);
  expect((await runCli(["project", "describe", world.project], outsider)).code).not.toBe(0);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

async function list(args: string[], env: NodeJS.ProcessEnv): Promise<Entry[]> {
  const res = await runCli([...args, "-o", "json"], env);
  expect(res.stderr).toBe("");
  expect(res.code).toBe(0);
  return JSON.parse(res.stdout) as Entry[];
}

describe("audit list", () => {
  it("shows a tenant owner the calls on the selected project's tenant, newest first", async () => {
    const entries = await list(["audit", "list", "--from", "1h"], owner);
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => e.tenant === "demo")).toBe(true);
    // JSON timestamps drop a zero fraction ("…45Z" next to "…45.131Z"), so compare instants, not strings.
    const times = entries.map((e) => Date.parse(e.time));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(entries.some((e) => e.method.endsWith("ProjectService/Get") && e.user === "demo")).toBe(true);
  });

  it("filters by method, user, project and result; denied means permission_denied or unauthenticated", async () => {
    const denied = await list(["audit", "list", "--status", "denied"], owner);
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.every((e) => ["permission_denied", "unauthenticated"].includes(e.code))).toBe(true);
    expect(denied.some((e) => e.user === "outsider" && e.method.endsWith("ProjectService/Get"))).toBe(true);

    const gets = await list(["audit", "list", "--method", "ProjectService/Get", "--user", "demo"], owner);
    expect(gets.length).toBeGreaterThan(0);
    expect(gets.every((e) => e.method === "/metalstack.api.v2.ProjectService/Get" && e.user === "demo")).toBe(
      true,
    );

    const projectOnly = await list(["audit", "list", "--project", world.project], owner);
    expect(projectOnly.every((e) => e.project === world.project)).toBe(true);

    const none = await list(["audit", "list", "--from", "2h", "--to", "1h"], owner);
    expect(none).toEqual([]);
  });

  it("finds every call of one CLI command by its request ID, and --limit stops early", async () => {
    const [newest] = await list(["audit", "list", "--limit", "1", "--user", "demo"], owner);
    expect(newest).toBeDefined();
    const same = await list(["audit", "list", "--request-id", newest!.requestId], owner);
    expect(same.map((e) => e.id)).toContain(newest!.id);
    expect(same.every((e) => e.requestId === newest!.requestId)).toBe(true);
    // `audit list` itself sends one request ID for all its calls (project lookup and list).
    const own = await list(
      ["admin", "audit", "list", "--user", "demo", "--method", "AuditService/List"],
      admin,
    );
    expect(own.length).toBeGreaterThan(0);
  });

  it("keeps outsiders out and explains bad flags before calling the server", async () => {
    const res = await runCli(["audit", "list", "--tenant", "demo"], outsider);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/permission|denied/i);

    const status = await runCli(["audit", "list", "--status", "bogus"], owner);
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('--status: "bogus" is not a result');

    const from = await runCli(["audit", "list", "--from", "yesterday"], owner);
    expect(from.code).toBe(2);
    expect(from.stderr).toContain('--from "yesterday" is not a duration');

    const noTenant = await runCli(["audit", "list"], outsider);
    expect(noTenant.code).toBe(2);
    expect(noTenant.stderr).toContain("no tenant selected");
  });

  it("prints tables and the wide columns", async () => {
    const res = await runCli(["audit", "list", "--method", "ProjectService/Get", "-o", "wide"], owner);
    expect(res.code).toBe(0);
    expect(res.stdout.split("\n")[0]).toMatch(/ID\s+TIME\s+USER\s+METHOD\s+RESULT\s+PROJECT\s+TENANT/);
    expect(res.stdout).toContain("ProjectService/Get");
  });
});

describe("admin audit list", () => {
  it("shows operators every caller's calls, filtered by tenant and user", async () => {
    const outsiderCalls = await list(["admin", "audit", "list", "--user", "outsider"], admin);
    expect(outsiderCalls.some((e) => e.code === "permission_denied")).toBe(true);
    const demoTenant = await list(["admin", "audit", "list", "--tenant", "demo", "--limit", "20"], admin);
    expect(demoTenant.length).toBeGreaterThan(0);
    expect(demoTenant.every((e) => e.tenant === "demo")).toBe(true);
  });

  it("is refused to users who are not operators", async () => {
    const res = await runCli(["admin", "audit", "list"], owner);
    expect(res.code).not.toBe(0);
  });
});

describe("audit describe", () => {
  it("shows one entry with its redacted request, to the owner and to operators", async () => {
    const [get] = await list(["audit", "list", "--method", "ProjectService/Get", "--limit", "1"], owner);
    const res = await runCli(["audit", "describe", get!.id], owner);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`ID:         ${get!.id}`);
    expect(res.stdout).toContain("Method:     /metalstack.api.v2.ProjectService/Get");
    expect(res.stdout).toMatch(/Request:\n\s+\{\n\s+"project": "/);

    const json = await runCli(["admin", "audit", "describe", get!.id, "-o", "json"], admin);
    expect(json.code).toBe(0);
    const entry = JSON.parse(json.stdout) as Entry;
    expect(entry.id).toBe(get!.id);
    expect(JSON.parse(entry.request!)).toHaveProperty("project", world.project);
  });

  it("does not show another tenant's entry to a tenant owner", async () => {
    const [foreign] = await list(["admin", "audit", "list", "--user", "operator", "--limit", "1"], admin);
    const res = await runCli(["audit", "describe", foreign!.id], owner);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/not found/i);
  });
});

describe("audit list --follow", () => {
  it("prints new entries as they are recorded and ends cleanly on Ctrl-C", async () => {
    const child = spawnCli(
      [
        "admin",
        "audit",
        "list",
        "--follow",
        "--user",
        "demo",
        "--method",
        "ProjectService/Get",
        "-o",
        "json",
      ],
      admin,
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
    // The watch is open once the server records the follow call itself; calls made from then on show.
    for (let i = 0; i < 200 && !out.includes("ProjectService/Get"); i++) {
      expect((await runCli(["project", "describe", world.project], owner)).code).toBe(0);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(out).toContain('"method": "/metalstack.api.v2.ProjectService/Get"');
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(err).toBe("");
  });

  it("refuses --to with --follow", async () => {
    const res = await runCli(["audit", "list", "--follow", "--to", "1h"], owner);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("--follow has no end; leave out --to and --limit");
  });
});
