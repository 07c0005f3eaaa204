import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { cliEnv, runCli } from "../helpers/cli.js";
import { type DemoWorld, startDemoWorld } from "./cli-resources-harness.js";

let world: DemoWorld;
let demo: NodeJS.ProcessEnv;

beforeAll(async () => {
  world = await startDemoWorld();
  // The project by its name, as `project set demo` or METALCTL_PROJECT=demo would select it.
  demo = cliEnv(world.home(), world.server.url, world.demoToken, "demo");
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe("the built CLI takes names where it takes IDs", () => {
  it("grants a project role to the project a name names, and refuses an unknown name with exit 5", async () => {
    const res = await runCli(
      ["token", "create", "--expires", "1h", "--project-role", "demo=viewer", "-o", "json"],
      demo,
    );
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout).token.projectRoles).toEqual({ [world.project]: "PROJECT_ROLE_VIEWER" });
    const unknown = await runCli(["token", "create", "--expires", "1h", "--project-role", "p1=viewer"], demo);
    expect(unknown.code).toBe(5);
    expect(unknown.stderr).toContain('no project "p1" among the projects you can use');
  }, 60_000);

  it("lists nothing for an unknown --project but fails with exit 5", async () => {
    const res = await runCli(["machine", "list", "--project", "nosuch"], demo);
    expect(res).toMatchObject({ code: 5, stdout: "" });
    expect(res.stderr).toContain('no project "nosuch"');
  }, 60_000);

  it("allocates a network and an IP in it by names, and describes them by name", async () => {
    const net = await runCli(
      ["network", "allocate", "--name", "names-net", "--partition", "fra", "-o", "json"],
      demo,
    );
    expect(net.code, net.stderr).toBe(0);
    const netId = JSON.parse(net.stdout).id as string;
    const ip = await runCli(
      ["ip", "create", "--network", "names-net", "--name", "names-ip", "-o", "json"],
      demo,
    );
    expect(ip.code, ip.stderr).toBe(0);
    expect(JSON.parse(ip.stdout).network).toBe(netId);
    const described = await runCli(["ip", "describe", "names-ip", "-o", "json"], demo);
    expect(described.code, described.stderr).toBe(0);
    expect(JSON.parse(described.stdout).name).toBe("names-ip");
    expect((await runCli(["ip", "delete", "names-ip", "--yes"], demo)).code).toBe(0);
    expect((await runCli(["network", "free", "names-net", "--yes"], demo)).code).toBe(0);
  }, 60_000);
});

/** allocate retries `create` over the sizes until one has a machine waiting (the simulator boots them meanwhile). */
async function allocate(topic: "machine" | "firewall", args: string[]) {
  let last = { code: -1, stdout: "", stderr: "" };
  for (let round = 0; round < 100; round++) {
    for (const size of ["c1-small-x86", "c1-medium-x86", "c1-large-x86"]) {
      last = await runCli([topic, "create", "--partition", "fra-equ01", "--size", size, ...args], demo);
      if (last.code === 0 || !last.stderr.includes("no free machine")) return last;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return last;
}

describe("names next to UUIDs where people read them", () => {
  it("machine create --wait names the machine in every progress line, and describe heads with it", async () => {
    const res = await allocate("machine", [
      ...["--name", "named-1", "--image", "ubuntu", "--networks", "demo-net", "--wait", "-o", "json"],
    ]);
    expect(res.code, res.stderr).toBe(0);
    const uuid = JSON.parse(res.stdout).uuid as string;
    const lines = res.stderr.trim().split("\n");
    expect(lines[0]).toBe(`Allocated machine ${uuid} (named-1).`);
    expect(lines.some((l) => l.includes("Phoned Home"))).toBe(true);
    for (const line of lines.slice(1)) expect(line).toMatch(new RegExp(`^${uuid} \\(named-1\\): `));
    const described = await runCli(["machine", "describe", "named-1"], demo);
    expect(described.stdout.split("\n")[0]).toBe(`Machine ${uuid} (named-1)`);
    // The project and the networks it names by ID carry their names too.
    expect(described.stdout).toMatch(new RegExp(`^Project:\\s+${world.project} \\(demo\\)$`, "m"));
    expect(described.stdout).toMatch(/^\s+[0-9a-f-]{36} \(demo-net\)\s+10\./m);
    const completed = await runCli(["__complete", "machine", "describe", ""], demo);
    expect(completed.stdout).toContain(`${uuid}\tnamed-1\n`);
  }, 120_000);

  it("describe of every kind starts with a heading of its ID and names, then its fields", async () => {
    const fw = await allocate("firewall", [
      ...[
        "--name",
        "named-fw",
        "--image",
        "firewall-ubuntu",
        "--networks",
        "demo-net,internet",
        "-o",
        "json",
      ],
    ]);
    expect(fw.code, fw.stderr).toBe(0);
    const fwId = JSON.parse(fw.stdout).machine.uuid as string;
    const ip = await runCli(
      ["ip", "create", "--network", "demo-net", "--name", "named-ip", "-o", "json"],
      demo,
    );
    expect(ip.code, ip.stderr).toBe(0);
    const { id: ipId, ip: address } = JSON.parse(ip.stdout) as { id: string; ip: string };
    const netId = JSON.parse(
      (await runCli(["network", "describe", "demo-net", "-o", "json"], demo)).stdout,
    ).id;
    const cases: [string[], string][] = [
      [["firewall", "describe", "named-fw"], `Firewall ${fwId} (named-fw)`],
      [["network", "describe", "demo-net"], `Network ${netId} (demo-net)`],
      [["ip", "describe", "named-ip"], `IP ${ipId} (${address}, named-ip)`],
      [["project", "describe", "demo"], `Project ${world.project} (demo)`],
      [["tenant", "describe", "demo"], "Tenant demo (Demo User)"],
      [["image", "describe", "ubuntu-24.04.20251120"], "Image ubuntu-24.04.20251120 (Ubuntu 24.04)"],
      // An OS, or an OS and version prefix, names the newest image, as in machine create.
      [["image", "describe", "ubuntu-24.04"], "Image ubuntu-24.04.20251120 (Ubuntu 24.04)"],
      [["size", "describe", "c1-small-x86"], "Size c1-small-x86"],
      [["partition", "describe", "fra-equ01"], "Partition fra-equ01"],
      [["filesystem", "describe", "default"], "Filesystem default"],
    ];
    for (const [args, heading] of cases) {
      const res = await runCli(args, demo);
      expect(res.code, `${args.join(" ")}: ${res.stderr}`).toBe(0);
      const [first, blank, ...fields] = res.stdout.split("\n");
      expect([first, blank], args.join(" ")).toEqual([heading, ""]);
      expect(fields[0], args.join(" ")).toMatch(/^ID:\s+\S/);
    }
    const unknownImage = await runCli(["image", "describe", "nosuch-os"], demo);
    expect([unknownImage.code, unknownImage.stderr]).toEqual([5, expect.stringContaining("nosuch-os")]);
    const named = async (args: string[]) => (await runCli(args, demo)).stdout;
    expect(await named(["network", "describe", "demo-net"])).toMatch(
      new RegExp(`^Project:\\s+${world.project} \\(demo\\)$`, "m"),
    );
    expect(await named(["ip", "describe", "named-ip"])).toMatch(
      new RegExp(`^Network:\\s+${netId} \\(demo-net\\)$`, "m"),
    );
    // The machine-readable formats stay the item alone.
    const json = await runCli(["ip", "describe", "named-ip", "-o", "json"], demo);
    expect(JSON.parse(json.stdout).id).toBe(ipId);
    expect((await runCli(["ip", "delete", "named-ip", "--yes"], demo)).code).toBe(0);
  }, 120_000);
});

describe("a project named by its name, in completion and apply", () => {
  it("completion lists the items of the project METALCTL_PROJECT or --project names by name", async () => {
    const byEnv = await runCli(["__complete", "network", "describe", ""], demo);
    expect(byEnv.stdout).toMatch(/^[0-9a-f-]{36}\tdemo-net$/m);
    const { METALCTL_PROJECT: _, ...noProject } = demo;
    const ip = await runCli(
      ["ip", "create", "--network", "demo-net", "--name", "completed-ip", "-o", "json"],
      demo,
    );
    expect(ip.code, ip.stderr).toBe(0);
    const fresh = await runCli(["__complete", "ip", "describe", "--project", "demo", ""], {
      ...noProject,
      XDG_CACHE_HOME: `${world.home()}/cache`,
    });
    expect(fresh.stdout).toContain(`${JSON.parse(ip.stdout).id}\t`);
    expect((await runCli(["ip", "delete", "completed-ip", "--yes"], demo)).code).toBe(0);
  }, 60_000);

  it("apply sends the project's ID when METALCTL_PROJECT names it by name", async () => {
    const net = JSON.parse((await runCli(["network", "describe", "demo-net", "-o", "json"], demo)).stdout);
    const res = await runCli(
      ["apply", "-f", "-"],
      demo,
      `kind: ip\nname: applied-by-name\nnetwork: ${net.id}\n`,
    );
    expect(res.code, res.stderr).toBe(0);
    const listed = JSON.parse(
      (await runCli(["ip", "list", "--name", "applied-by-name", "-o", "json"], demo)).stdout,
    );
    expect(listed).toEqual([expect.objectContaining({ project: world.project, name: "applied-by-name" })]);
    expect((await runCli(["ip", "delete", "applied-by-name", "--yes"], demo)).code).toBe(0);
  }, 60_000);
});

describe("deleting the default project", () => {
  it("clears it from the contexts on that server that default to it, and says so", async () => {
    const created = await runCli(
      ["project", "create", "--tenant", "demo", "--name", "gone-proj", "-o", "json"],
      demo,
    );
    expect(created.code, created.stderr).toBe(0);
    const id = JSON.parse(created.stdout).id as string;
    const home = world.home();
    const configDir = path.join(home, "config", "metalctl");
    fs.mkdirSync(configDir, { recursive: true });
    const contexts = [
      { name: "dev", apiUrl: world.server.url, defaultProject: id },
      { name: "by-name", apiUrl: `${world.server.url}/`, defaultProject: "gone-proj" },
      { name: "keeps", apiUrl: world.server.url, defaultProject: world.project },
      { name: "elsewhere", apiUrl: "http://127.0.0.1:1", defaultProject: id },
    ];
    fs.writeFileSync(path.join(configDir, "config.yaml"), stringify({ current: "dev", contexts }));
    const {
      METALCTL_API_URL: _u,
      METALCTL_PROJECT: _p,
      ...env
    } = cliEnv(home, world.server.url, world.demoToken);
    const res = await runCli(["project", "delete", "gone-proj", "--yes"], env);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain(`Deleted project gone-proj (${id}).`);
    expect(res.stderr).toContain(
      'It was the default project of contexts "dev", "by-name", which now have none — choose one with `metalctl project set`.',
    );
    const after = parse(fs.readFileSync(path.join(configDir, "config.yaml"), "utf8")) as {
      contexts: { name: string; defaultProject?: string }[];
    };
    expect(Object.fromEntries(after.contexts.map((c) => [c.name, c.defaultProject]))).toEqual({
      dev: undefined,
      "by-name": undefined,
      keeps: world.project,
      elsewhere: id,
    });
    const next = await runCli(["machine", "list"], env);
    expect(next.code).toBe(2);
  }, 60_000);
});
