import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MachineProvisioningEventType as Ev } from "../../src/gen/metalstack/api/v2/machine_pb.js";
import { recordEvent } from "../../src/server/machines/events.js";
import { cliEnv, runCli } from "../helpers/cli.js";
import { type DemoWorld, startDemoWorld } from "./cli-resources-harness.js";

interface EventJson {
  time: string;
  event: string;
  message?: string;
}

let world: DemoWorld;
let env: NodeJS.ProcessEnv;
let adminEnv: NodeJS.ProcessEnv;
let machineId = "";
let image = "";

async function cliEvents(): Promise<string[]> {
  const res = await runCli(["machine", "events", machineId, "-o", "json"], env);
  expect(res.code).toBe(0);
  return (JSON.parse(res.stdout) as EventJson[]).map((e) => e.event);
}

beforeAll(async () => {
  world = await startDemoWorld();
  env = cliEnv(world.home(), world.server.url, world.demoToken, world.project);
  adminEnv = cliEnv(world.home(), world.server.url, world.adminToken);
  const json = async (args: string[]) => JSON.parse((await runCli([...args, "-o", "json"], env)).stdout);
  const [partition] = (await json(["partition", "list"])) as { id: string }[];
  const [size] = (await json(["size", "list"])) as { id: string }[];
  const images = (await json(["image", "list"])) as { id: string; features?: string[] }[];
  image = (images.find((i) => (i.features ?? []).includes("IMAGE_FEATURE_MACHINE")) ?? images[0]!).id;
  let [net] = (await json(["network", "list", "--type", "child"])) as { id: string }[];
  net ??= await json(["network", "allocate", "--name", "ops-net", "--partition", partition!.id]);
  const created = await runCli(
    [
      "machine",
      "create",
      "--name",
      "ops-e2e",
      "--partition",
      partition!.id,
      "--size",
      size!.id,
      "--image",
      image,
      "--networks",
      net!.id,
      "--wait",
      "--wait-timeout",
      "60s",
      "-o",
      "json",
    ],
    env,
  );
  expect(created.code).toBe(0);
  machineId = JSON.parse(created.stdout).uuid;
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe("machine operations through metalctl against the dev server and simulator", () => {
  it("power cycle refuses without a terminal unless --yes, then shows Planned Reboot … Phoned Home", async () => {
    const refused = await runCli(["machine", "power", "cycle", machineId], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("--yes");
    const before = await cliEvents();
    const res = await runCli(["machine", "power", "cycle", machineId, "--yes"], env);
    expect(res.code).toBe(0);
    expect(res.stderr).toContain("Queued power cycle");
    let after: string[] = [];
    for (let i = 0; i < 200; i++) {
      after = await cliEvents();
      if (after.length > before.length && after.at(-1) === "MACHINE_PROVISIONING_EVENT_TYPE_PHONED_HOME")
        break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(after.slice(before.length)).toEqual([
      "MACHINE_PROVISIONING_EVENT_TYPE_PLANNED_REBOOT",
      "MACHINE_PROVISIONING_EVENT_TYPE_PHONED_HOME",
    ]);
    const table = await runCli(["machine", "events", machineId], env);
    expect(table.stdout).toContain("Planned Reboot");
    expect(table.stdout).toContain("power cycle via BMC");
  }, 60_000);

  it("reinstall --wait prints Installing → Booting New Kernel → Phoned Home", async () => {
    const res = await runCli(
      ["machine", "reinstall", machineId, "--image", image, "--yes", "--wait", "-o", "json"],
      env,
    );
    expect(res.code).toBe(0);
    const lines = res.stderr.split("\n");
    const at = (label: string) => lines.findIndex((l) => l.includes(label));
    expect(at("Installing")).toBeGreaterThan(-1);
    expect(at("Booting New Kernel")).toBeGreaterThan(at("Installing"));
    expect(at("Phoned Home")).toBeGreaterThan(at("Booting New Kernel"));
    expect(JSON.parse(res.stdout).uuid).toBe(machineId);
  }, 60_000);

  it("an operator's lock refuses delete and reinstall with the reason and the unlock command", async () => {
    const lock = await runCli(["admin", "machine", "lock", machineId, "--reason", "forensics"], adminEnv);
    expect(lock.code).toBe(0);
    for (const args of [
      ["machine", "delete", machineId, "--yes"],
      ["machine", "reinstall", machineId, "--image", image, "--yes"],
    ]) {
      const res = await runCli(args, env);
      expect(res.code).not.toBe(0);
      expect(res.stderr).toContain("forensics");
      expect(res.stderr).toContain(`metalctl admin machine unlock ${machineId}`);
    }
    expect((await runCli(["admin", "machine", "unlock", machineId], adminEnv)).code).toBe(0);
    const again = await runCli(["admin", "machine", "unlock", machineId], adminEnv);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain("not locked");
  }, 60_000);

  it("another project's member cannot see the machine's events or power it", async () => {
    const outsider = cliEnv(world.home(), world.server.url, world.outsiderToken, world.project);
    for (const args of [
      ["machine", "events", machineId],
      ["machine", "power", "cycle", machineId, "--yes"],
    ]) {
      const res = await runCli(args, outsider);
      expect(res.code).not.toBe(0);
      expect(res.stdout).toBe("");
    }
  }, 60_000);

  it("admin machine bmc shows the address and never the credentials", async () => {
    const row = await world.server.ctx.db.kysely
      .selectFrom("machines")
      .select(["bmc_address", "bmc_user", "bmc_password"])
      .where("id", "=", machineId)
      .executeTakeFirstOrThrow();
    const res = await runCli(["admin", "machine", "bmc", machineId, "-o", "json"], adminEnv);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout).address).toBe(row.bmc_address);
    expect(res.stdout + res.stderr).not.toContain(row.bmc_password);
    const issues = await runCli(["admin", "machine", "issues"], adminEnv);
    expect(issues.code).toBe(0);
    expect(issues.stdout + issues.stderr).not.toContain(row.bmc_password);
    const denied = await runCli(["admin", "machine", "bmc", machineId], env);
    expect(denied.code).not.toBe(0);
  }, 60_000);

  it("describe shows what the BMC confirmed (power, next boot, LED) and the newest events", async () => {
    expect((await runCli(["machine", "boot", "disk", machineId], env)).code).toBe(0);
    expect((await runCli(["machine", "identify", "on", machineId], env)).code).toBe(0);
    let text = "";
    for (let i = 0; i < 200 && !(text.includes("disk") && text.match(/Identify LED:\s+on/)); i++) {
      text = (await runCli(["machine", "describe", machineId], env)).stdout;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(text).toMatch(new RegExp(`^ID:\\s+${machineId}$`, "m"));
    expect(text).toMatch(/^Power:\s+on$/m);
    expect(text).toMatch(/^Next boot:\s+disk$/m);
    expect(text).toMatch(/^Identify LED:\s+on$/m);
    expect(text).toMatch(/^Status:\s+alive$/m);
    expect(text).toMatch(/^Events( \(newest 10 of \d+\))?:$/m);
    expect(text).toContain("Phoned Home");
    const yaml = (await runCli(["machine", "describe", machineId, "-o", "yaml"], env)).stdout;
    expect(yaml).toContain("nextBoot: MACHINE_BOOT_DEVICE_DISK");
  }, 60_000);

  it("lists mark a crash loop, and operators see the BMC address with -o wide only", async () => {
    const row = await world.server.ctx.db.kysely
      .selectFrom("machines")
      .select(["bmc_address", "bmc_password"])
      .where("id", "=", machineId)
      .executeTakeFirstOrThrow();
    // Powered off, the simulator sends no heartbeat that would end the loop in the middle of the checks.
    expect((await runCli(["machine", "power", "off", machineId, "--yes"], env)).code).toBe(0);
    for (let i = 0; i < 200; i++) {
      const described = (await runCli(["machine", "describe", machineId], env)).stdout;
      if (/^Power:\s+off$/m.test(described)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    for (let i = 0; i < 3; i++) await recordEvent(world.server.ctx, machineId, Ev.CRASHING, "kernel panic");
    const list = await runCli(["machine", "list"], env);
    expect(list.stdout.split("\n").find((l) => l.startsWith(machineId))).toContain("crash loop");
    const narrow = await runCli(["admin", "machine", "list"], adminEnv);
    expect(narrow.stdout).not.toContain(row.bmc_address);
    const wide = await runCli(["admin", "machine", "list", "-o", "wide"], adminEnv);
    expect(wide.stdout.split("\n")[0]).toMatch(/RACK\s+BMC/);
    expect(wide.stdout.split("\n").find((l) => l.startsWith(machineId))).toContain(row.bmc_address);
    const described = await runCli(["admin", "machine", "describe", machineId], adminEnv);
    expect(described.stdout).toMatch(/^Issues:\n\s+ISSUE\s+DETAILS\n\s+Crash Loop\s+3 Crashing events/m);
    const issues = await runCli(["admin", "machine", "issues", machineId, "-o", "json"], adminEnv);
    expect(JSON.parse(issues.stdout)).toEqual([
      expect.objectContaining({ uuid: machineId, type: "MACHINE_ISSUE_TYPE_CRASH_LOOP" }),
    ]);
    expect(described.stdout).toMatch(new RegExp(`^BMC:\\s+${row.bmc_address.replaceAll(".", "\\.")}$`, "m"));
    for (const out of [narrow, wide, described])
      expect(out.stdout + out.stderr).not.toContain(row.bmc_password);
    await recordEvent(world.server.ctx, machineId, Ev.PHONED_HOME, "");
    const healed = await runCli(["machine", "list"], env);
    expect(healed.stdout).not.toContain("crash loop");
  }, 60_000);

  it("admin machine state shows and sets the operator state, a reason required for locked", async () => {
    const shown = await runCli(["admin", "machine", "state", machineId, "-o", "json"], adminEnv);
    expect(JSON.parse(shown.stdout).state).toBe("MACHINE_STATE_AVAILABLE");
    const noReason = await runCli(["admin", "machine", "state", machineId, "locked"], adminEnv);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain("--reason");
    const bad = await runCli(["admin", "machine", "state", machineId, "broken"], adminEnv);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("available, reserved, locked");
    const locked = await runCli(
      ["admin", "machine", "state", machineId, "locked", "--reason", "rma"],
      adminEnv,
    );
    expect(locked.code).toBe(0);
    expect(locked.stdout).toContain("locked");
    expect((await runCli(["admin", "machine", "state", machineId, "available"], adminEnv)).code).toBe(0);
  }, 60_000);
});
