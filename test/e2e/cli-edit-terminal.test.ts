import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_BIN, cliEnv, runCli } from "../helpers/cli.js";
import { privateTmux } from "../helpers/tmux.js";
import { type DemoWorld, startDemoWorld } from "./cli-resources-harness.js";

const { tmux, waitForPane } = privateTmux("edit");

let world: DemoWorld;
let env: NodeJS.ProcessEnv;
let home: string;
let ipId: string;

beforeAll(async () => {
  world = await startDemoWorld();
  home = world.home();
  env = cliEnv(home, world.server.url, world.demoToken, world.project);
  const ip = await runCli(["ip", "create", "--network", "internet", "--name", "pty-ip", "-o", "json"], env);
  expect(ip.code, ip.stderr).toBe(0);
  ipId = JSON.parse(ip.stdout).id;
}, 120_000);

afterAll(async () => {
  await tmux(["kill-server"]).catch(() => {});
  await world?.close();
});

/**
 * editor writes an $EDITOR script that notes whether it runs on the terminal, runs `before` (a
 * shell line), then edits the file with `sed` (no expression: leaves it as it is).
 */
function editor(name: string, opts: { before?: string; sed?: string } = {}): string {
  const file = path.join(home, `${name}.sh`);
  const lines = [
    "#!/bin/sh",
    `if [ -t 0 ] && [ -t 1 ]; then echo terminal > "${file}.ran"; else echo pipe > "${file}.ran"; fi`,
    opts.before ?? "",
    opts.sed ? `sed -i '${opts.sed}' "$1"` : "",
  ];
  fs.writeFileSync(file, `${lines.join("\n")}\n`, { mode: 0o700 });
  return file;
}

/** editInTerminal runs `metalctl ip edit` in a tmux pane with the editor and returns the screen once it exited. */
async function editInTerminal(name: string, editorScript: string): Promise<string> {
  const session = `edit-${name}`;
  const envArgs = Object.entries({ ...env, EDITOR: editorScript }).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
  const cmd = `${process.execPath} ${CLI_BIN} ip edit ${ipId}; echo EXIT=$?; sleep 60`;
  await tmux(["new-session", "-d", "-s", session, "-x", "250", "-y", "50", ...envArgs, cmd]);
  try {
    const screen = await waitForPane(session, /EXIT=\d+/);
    expect(fs.readFileSync(`${editorScript}.ran`, "utf8")).toBe("terminal\n");
    return screen;
  } finally {
    await tmux(["kill-session", "-t", session]).catch(() => {});
  }
}

async function currentIp(): Promise<{ name: string; meta: { generation: string } }> {
  const res = await runCli(["ip", "describe", ipId, "-o", "json"], env);
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout);
}

describe("ip edit in a terminal with a scripted editor", () => {
  it("applies the change made in the editor", async () => {
    const screen = await editInTerminal(
      "change",
      editor("change", { sed: "s/^name: .*/name: pty-renamed/" }),
    );
    expect(screen).toContain("EXIT=0");
    expect(screen).toContain(`IP ${ipId} updated: name`);
    expect((await currentIp()).name).toBe("pty-renamed");
  }, 60_000);

  it("sends nothing when the editor changed nothing", async () => {
    const before = await currentIp();
    const screen = await editInTerminal("nothing", editor("nothing"));
    expect(screen).toContain("EXIT=0");
    expect(screen).toContain(`IP ${ipId}: nothing changed`);
    expect((await currentIp()).meta.generation).toBe(before.meta.generation);
  }, 60_000);

  it("refuses with exit 6 when someone changed the IP meanwhile, and keeps the edited file", async () => {
    const concurrent = `${process.execPath} ${CLI_BIN} ip update ${ipId} --name theirs >/dev/null 2>&1`;
    const screen = await editInTerminal(
      "conflict",
      editor("conflict", { before: concurrent, sed: "s/^name: .*/name: mine/" }),
    );
    expect(screen).toContain("EXIT=6");
    const kept = /your edit is kept in (\S+\.yaml)/.exec(screen)?.[1];
    expect(kept, screen).toBeDefined();
    expect(fs.readFileSync(kept!, "utf8")).toContain("name: mine");
    fs.rmSync(path.dirname(kept!), { recursive: true, force: true });
    expect((await currentIp()).name).toBe("theirs");
  }, 60_000);
});
