import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_BIN, cliEnv, runCli } from "../helpers/cli.js";
import { type DemoWorld, startDemoWorld } from "./cli-resources-harness.js";

let world: DemoWorld;
let admin: NodeJS.ProcessEnv;
let machineId: string;
const socket = `metalctl-console-${process.pid}`;

const tmux = (...args: string[]) =>
  execFileSync("tmux", ["-L", socket, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
const screen = () => tmux("capture-pane", "-p", "-t", "console");

/** waitFor polls the tmux pane until `pattern` shows, and returns the screen. */
async function waitFor(pattern: RegExp): Promise<string> {
  let text = "";
  for (let i = 0; i < 600; i++) {
    text = screen();
    if (pattern.test(text)) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${pattern} did not show; the screen:\n${text}`);
}

beforeAll(async () => {
  world = await startDemoWorld();
  admin = cliEnv(world.home(), world.server.url, world.adminToken);
  const machines = JSON.parse((await runCli(["admin", "machine", "list", "-o", "json"], admin)).stdout);
  machineId = (machines as { uuid: string }[])[0]!.uuid;
}, 120_000);

afterAll(async () => {
  try {
    tmux("kill-server");
  } catch {
    // no tmux server was started
  }
  await world?.close();
});

describe("machine console", () => {
  it("refuses to run without a terminal (exit 2)", async () => {
    const res = await runCli(["admin", "machine", "console", machineId], admin);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`the console of machine ${machineId} needs a terminal`);
  });

  it("attaches a real terminal: boot messages and login prompt, echo, ~. leaves and the terminal is restored", async () => {
    const script = path.join(world.home(), "console.sh");
    const vars = Object.entries(admin)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `export ${k}='${v}'`)
      .join("\n");
    fs.writeFileSync(
      script,
      `${vars}\nstty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' ' | sed 's/^/BEFORE: /'; echo\n` +
        `'${process.execPath}' '${CLI_BIN}' admin machine console ${machineId}\n` +
        `echo "EXIT=$?"\n` +
        `stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' ' | sed 's/^/AFTER: /'; echo\n` +
        "sleep 600\n",
    );
    tmux("new-session", "-d", "-s", "console", "-x", "120", "-y", "40", `sh ${script}`);
    await waitFor(/login:$/m);
    const booted = screen();
    expect(booted).toContain("Connected to the console of machine");
    expect(booted).toMatch(/Linux version/);
    tmux("send-keys", "-t", "console", "-l", "root");
    await waitFor(/login: root$/m);
    tmux("send-keys", "-t", "console", "Enter");
    await waitFor(/Password:$/m);
    // The password does not echo; Enter, then ~. leaves as in ssh.
    tmux("send-keys", "-t", "console", "-l", "secret");
    tmux("send-keys", "-t", "console", "Enter");
    await waitFor(/Login incorrect/);
    tmux("send-keys", "-t", "console", "-l", "~.");
    const done = await waitFor(/AFTER: /);
    expect(done).not.toContain("secret");
    expect(done).toContain("closed.");
    expect(done).toMatch(/EXIT=0/);
    const before = /BEFORE: (.*)/.exec(done)![1]!.trim();
    const after = /AFTER: (.*)/.exec(done)![1]!.trim();
    expect(before).toBe("icanon echo");
    expect(after).toBe(before);
  }, 120_000);
});
