import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_BIN, cliEnv, runCli } from "../helpers/cli.js";
import { privateTmux } from "../helpers/tmux.js";
import { type DemoWorld, startDemoWorld } from "./cli-resources-harness.js";

const { tmux, waitForPane } = privateTmux("prompts");

let world: DemoWorld;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  world = await startDemoWorld();
  env = cliEnv(world.home(), world.server.url, world.demoToken, world.project);
}, 120_000);

afterAll(async () => {
  await tmux(["kill-server"]).catch(() => {});
  await world?.close();
});

/** inTerminal starts `metalctl <args>` in a tmux pane; the pane prints EXIT=<code> when it ends. */
async function inTerminal(session: string, args: string): Promise<void> {
  const envArgs = Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
  const cmd = `${process.execPath} ${CLI_BIN} ${args}; echo EXIT=$?; sleep 60`;
  await tmux(["new-session", "-d", "-s", session, "-x", "200", "-y", "50", ...envArgs, cmd]);
}

describe("prompts in a real terminal", () => {
  it("Ctrl-C at a prompt exits 130 without a message", async () => {
    await inTerminal("ctrl-c", "machine create --name pty-web");
    try {
      await waitForPane("ctrl-c", /Partition/);
      await tmux(["send-keys", "-t", "ctrl-c", "C-c"]);
      const screen = await waitForPane("ctrl-c", /EXIT=\d+/);
      expect(screen).toMatch(/EXIT=130/);
      expect(screen).not.toMatch(/force closed|SIGINT|Error/);
    } finally {
      await tmux(["kill-session", "-t", "ctrl-c"]).catch(() => {});
    }
  }, 60_000);

  it("network allocate asks for the name and the partition it was not given", async () => {
    await inTerminal("allocate", "network allocate");
    try {
      await waitForPane("allocate", /Network name/);
      await tmux(["send-keys", "-t", "allocate", "pty-net", "Enter"]);
      await waitForPane("allocate", /Partition/);
      await tmux(["send-keys", "-t", "allocate", "Enter"]);
      const screen = await waitForPane("allocate", /EXIT=\d+/);
      expect(screen).toMatch(/EXIT=0/);
    } finally {
      await tmux(["kill-session", "-t", "allocate"]).catch(() => {});
    }
    const list = await runCli(["network", "list", "-o", "json"], env);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).map((n: { name: string }) => n.name)).toContain("pty-net");
  }, 60_000);
});
