import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
