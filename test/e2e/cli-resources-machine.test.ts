import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CLI_BIN, cliEnv, runCli } from "../helpers/cli.js";
import { privateTmux } from "../helpers/tmux.js";
import { type DemoWorld, startDemoWorld } from "./cli-resources-harness.js";

const { tmux, waitForPane } = privateTmux("machine");

let world: DemoWorld;
let env: NodeJS.ProcessEnv;
let network: string;

beforeAll(async () => {
  world = await startDemoWorld();
  env = cliEnv(world.home(), world.server.url, world.demoToken, world.project);
  const nets = await runCli(["network", "list", "-o", "json", "--type", "child"], env);
  expect(nets.stderr).toBe("");
  network = (JSON.parse(nets.stdout) as { id: string }[])[0]?.id ?? "";
  if (!network) {
    const parts = JSON.parse((await runCli(["partition", "list", "-o", "json"], env)).stdout) as {
      id: string;
    }[];
    const alloc = await runCli(
      ["network", "allocate", "--name", "e2e-net", "--partition", parts[0]!.id, "-o", "json"],
      env,
    );
    network = JSON.parse(alloc.stdout).id;
  }
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe("machine commands against the dev server", () => {
  let machineId = "";

  it("creates a machine with --wait and follows it until it phoned home", async () => {
    const parts = JSON.parse((await runCli(["partition", "list", "-o", "json"], env)).stdout) as {
      id: string;
    }[];
    const sizes = JSON.parse((await runCli(["size", "list", "-o", "json"], env)).stdout) as { id: string }[];
    const images = JSON.parse((await runCli(["image", "list", "-o", "json"], env)).stdout) as {
      id: string;
      features?: string[];
    }[];
    const image = images.find((i) => (i.features ?? []).includes("IMAGE_FEATURE_MACHINE")) ?? images[0]!;
    const res = await runCli(
      [
        "machine",
        "create",
        "--name",
        "e2e-web",
        "--partition",
        parts[0]!.id,
        "--size",
        sizes[0]!.id,
        "--image",
        image.id,
        "--networks",
        network,
        "--labels",
        "env=test",
        "--wait",
        "--wait-timeout",
        "60s",
        "-o",
        "json",
      ],
      env,
    );
    expect(res.stderr).toContain("Phoned Home");
    expect(res.code).toBe(0);
    const m = JSON.parse(res.stdout);
    machineId = m.uuid;
    expect(m.allocation.name).toBe("e2e-web");
    expect(m.status.lastEvent).toBe("MACHINE_PROVISIONING_EVENT_TYPE_PHONED_HOME");
  }, 90_000);

  it("lists with filters and sorts, and describes round-trip through YAML", async () => {
    const list = await runCli(["machine", "list", "--labels", "env=test", "--sort-by", "name"], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^ID\s+NAME\s+PARTITION/);
    expect(list.stdout).toContain("e2e-web");
    const none = await runCli(["machine", "list", "--name", "no-such-machine", "-o", "json"], env);
    expect(JSON.parse(none.stdout)).toEqual([]);

    const yaml = await runCli(["machine", "describe", machineId, "-o", "yaml"], env);
    expect(yaml.code).toBe(0);
    const doc = parse(yaml.stdout);
    doc.allocation.name = "e2e-renamed";
    doc.meta.labels = { tier: "web" };
    const file = path.join(env.HOME!, "m.yaml");
    fs.writeFileSync(file, JSON.stringify(doc));
    const upd = await runCli(["machine", "update", "-f", file, "-o", "json"], env);
    expect(upd.stderr).toBe("");
    const updated = JSON.parse(upd.stdout);
    expect(updated.allocation.name).toBe("e2e-renamed");
    expect(updated.meta.labels).toEqual({ tier: "web" });

    // The same file again carries the old generation: someone else changed it meanwhile.
    const stale = await runCli(["machine", "update", "-f", file], env);
    expect(stale.code).toBe(6);
  }, 90_000);

  it("offers the machine ID in completion after a list filled the cache", async () => {
    expect((await runCli(["machine", "list"], env)).code).toBe(0);
    const res = await runCli(["__complete", "machine", "describe", ""], env);
    expect(res.stdout).toContain(`${machineId}\te2e-renamed`);
  }, 60_000);

  it("refuses to delete without a terminal unless --yes, then deletes", async () => {
    const refused = await runCli(["machine", "delete", machineId], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--yes");
    const del = await runCli(["machine", "delete", machineId, "--yes"], env);
    expect(del.code).toBe(0);
    expect(del.stderr).toContain(`Freed machine ${machineId}`);
  }, 60_000);

  it("asks for missing values in a terminal (tmux) and creates the machine", async () => {
    const session = `metalctl-e2e-${process.pid}`;
    const envArgs = Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
    const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPtyTestKey e2e@pty";
    fs.mkdirSync(path.join(env.HOME!, ".ssh"), { recursive: true });
    fs.writeFileSync(path.join(env.HOME!, ".ssh", "id_ed25519.pub"), `${key}\n`);
    const cmd = `${process.execPath} ${CLI_BIN} machine create --name tty-1 -o json; echo EXIT=$?; sleep 60`;
    await tmux(["new-session", "-d", "-s", session, "-x", "200", "-y", "50", ...envArgs, cmd]);
    try {
      for (const prompt of ["Partition", "Size", "Image", "Network of the project", "SSH public key"]) {
        // Wait until the prompt lists its choices (the active one is marked ❯), then take the first.
        await waitForPane(session, new RegExp(`${prompt}[\\s\\S]*❯`));
        await tmux(["send-keys", "-t", session, "Enter"]);
      }
      const summary = await waitForPane(session, /Allocate this machine\?/);
      expect(summary).toContain("SSH keys:   e2e@pty");
      await tmux(["send-keys", "-t", session, "Enter"]);
      const screen = await waitForPane(session, /EXIT=\d+/);
      expect(screen).toContain("EXIT=0");
      expect(screen).toContain('"name": "tty-1"');
      expect(screen).toContain(key);
    } finally {
      await tmux(["kill-session", "-t", session]).catch(() => {});
    }
  }, 90_000);

  it("names the missing flags without a terminal (exit 2)", async () => {
    const res = await runCli(["machine", "create", "--name", "x"], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("--partition");
    expect(res.stderr).toContain("--size");
    expect(res.stderr).toContain("--image");
    expect(res.stderr).toContain("--networks");
  }, 60_000);

  it("maps not found to exit 5 and permission denied to exit 4", async () => {
    const nf = await runCli(["machine", "describe", "00000000-0000-0000-0000-000000000000"], env);
    expect(nf.code).toBe(5);
    const outsider = cliEnv(world.home(), world.server.url, world.outsiderToken, world.project);
    const pd = await runCli(["machine", "list"], outsider);
    expect(pd.code).toBe(4);
    expect(pd.stderr).toMatch(/^Error: /);
  }, 60_000);
});
