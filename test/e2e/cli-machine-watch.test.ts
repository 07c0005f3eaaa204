import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MachineProvisioningEventType as Ev } from "../../src/gen/metalstack/api/v2/machine_pb.js";
import { recordEvent } from "../../src/server/machines/events.js";
import { CLI_BIN, cliEnv, runCli } from "../helpers/cli.js";
import { privateTmux } from "../helpers/tmux.js";
import { type DemoWorld, startDemoWorld } from "./cli-resources-harness.js";

const { tmux, waitForPane } = privateTmux("watch");
const HOSTNAME = "a-rather-long-hostname-for-a-database-node-in-rack-one";

let world: DemoWorld;
let env: NodeJS.ProcessEnv;
let machineId: string;

beforeAll(async () => {
  world = await startDemoWorld();
  env = cliEnv(world.home(), world.server.url, world.demoToken, world.project);
  let res = { code: -1, stdout: "", stderr: "" };
  for (let round = 0; round < 100 && res.code !== 0; round++) {
    for (const size of ["c1-small-x86", "c1-medium-x86", "c1-large-x86"]) {
      res = await runCli(
        [
          ...["machine", "create", "--name", "watched", "--hostname", HOSTNAME, "--partition", "fra-equ01"],
          ...["--size", size, "--image", "ubuntu", "--networks", "demo-net", "--wait", "-o", "json"],
        ],
        env,
      );
      if (res.code === 0 || !res.stderr.includes("no free machine")) break;
    }
    if (res.code !== 0) await new Promise((r) => setTimeout(r, 200));
  }
  expect(res.code, res.stderr).toBe(0);
  machineId = JSON.parse(res.stdout).uuid;
}, 120_000);

afterAll(async () => {
  await tmux(["kill-server"]).catch(() => {});
  await world?.close();
});

/** expectAligned checks that every event line puts its event and message under the header's columns. */
function expectAligned(lines: string[]): void {
  const header = lines.findIndex((l) => l.startsWith("TIME "));
  expect(header, lines.join("\n")).toBeGreaterThanOrEqual(0);
  const eventCol = lines[header]!.indexOf("EVENT");
  const messageCol = lines[header]!.indexOf("MESSAGE");
  const rows = lines.slice(header + 1).filter((l) => /^\d{4}-\d\d-\d\dT/.test(l));
  expect(rows.length).toBeGreaterThanOrEqual(3);
  for (const row of rows) {
    expect(row.slice(eventCol - 3, eventCol), row).toBe("   ");
    expect(row.charAt(eventCol), row).not.toBe(" ");
    if (row.length > messageCol) {
      expect(row.slice(messageCol - 3, messageCol), row).toBe("   ");
      expect(row.charAt(messageCol), row).not.toBe(" ");
    }
  }
}

describe("machine watch", () => {
  it("lines up time, event and message in a terminal as events arrive, and stops on Ctrl-C", async () => {
    const session = "watch";
    const envArgs = Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
    const cmd = `${process.execPath} ${CLI_BIN} machine watch ${HOSTNAME}; echo EXIT=$?; sleep 60`;
    await tmux(["new-session", "-d", "-s", session, "-x", "250", "-y", "60", ...envArgs, cmd]);
    try {
      const started = await waitForPane(session, /Phoned Home/);
      expect(started).toContain(`Watching machine ${machineId} (watched) — Ctrl-C to stop.`);
      // An event arriving later, with a long message and a control character, keeps the columns.
      await recordEvent(
        world.server.ctx,
        machineId,
        Ev.PLANNED_REBOOT,
        "operator asked for it\x1b[31m, twice",
      );
      const screen = await waitForPane(session, /Planned Reboot/);
      expect(screen).toContain("operator asked for it\\x1b[31m, twice");
      expectAligned(screen.split("\n"));
      await tmux(["send-keys", "-t", session, "C-c"]);
      expect(await waitForPane(session, /EXIT=\d+/)).toContain("EXIT=0");
    } finally {
      await tmux(["kill-session", "-t", session]).catch(() => {});
    }
  }, 60_000);

  it("prints the same aligned lines into a pipe", async () => {
    const res = await runCli(["machine", "watch", machineId, "--for", "1s"], env);
    expect(res.code, res.stderr).toBe(0);
    expectAligned(res.stdout.split("\n"));
  }, 60_000);

  it("asks before powering off with the machine's and the project's names next to their IDs", async () => {
    const session = "power";
    const envArgs = Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
    const cmd = `${process.execPath} ${CLI_BIN} machine power off watched; echo EXIT=$?; sleep 60`;
    await tmux(["new-session", "-d", "-s", session, "-x", "250", "-y", "20", ...envArgs, cmd]);
    try {
      const asked = await waitForPane(session, /Power off machine/);
      expect(asked).toContain(`Power off machine ${machineId} (watched) in project ${world.project} (demo)?`);
      await tmux(["send-keys", "-t", session, "n", "Enter"]);
      expect(await waitForPane(session, /EXIT=\d+/)).toContain("EXIT=1");
    } finally {
      await tmux(["kill-session", "-t", session]).catch(() => {});
    }
  }, 60_000);
});
