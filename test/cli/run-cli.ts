import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const BIN = path.resolve(import.meta.dirname, "../../bin/run.js");
const APISERVER_BIN = path.resolve(import.meta.dirname, "../../bin/apiserver.js");

/** CliResult is what one run of the built CLI produced. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** CliSandbox is a temporary HOME/XDG config dir for the built CLI, without a usable keychain by default. */
export interface CliSandbox {
  home: string;
  configDir: string;
  env: NodeJS.ProcessEnv;
  run(args: string[], opts?: { input?: string; env?: NodeJS.ProcessEnv }): Promise<CliResult>;
  cleanup(): void;
}

/**
 * createCliSandbox prepares temporary HOME and XDG_CONFIG_HOME directories and runs `bin/run.js`
 * (the built CLI: `npm run build` first) as a subprocess. No display and no D-Bus session: the
 * keychain is unusable, so logins fall back to the 0600 file unless a test provides a keychain.
 */
export function createCliSandbox(): CliSandbox {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "metalctl-home-"));
  const xdg = path.join(home, ".config");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: xdg,
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(home, "no-bus")}`,
    NODE_ENV: "production",
  };
  return {
    home,
    configDir: path.join(xdg, "metalctl"),
    env,
    run: (args, opts = {}) => runCli(args, { ...env, ...opts.env }, opts.input),
    cleanup: () => fs.rmSync(home, { recursive: true, force: true }),
  };
}

/** runCli runs `node bin/run.js ARGS` with exactly the given environment and stdin. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, input = ""): Promise<CliResult> {
  return runCommand(process.execPath, [BIN, ...args], env, input);
}

/**
 * runApiserver runs the built server, `node bin/apiserver.js ARGS` (`npm run build` first), as an
 * operator would, with exactly the given environment and an empty stdin.
 */
export function runApiserver(
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: RunOptions = {},
): Promise<CliResult> {
  return runCommand(process.execPath, [APISERVER_BIN, ...args], env, "", opts);
}

/** RunOptions are the working directory of a run and, when set, after how many ms it is killed. */
export interface RunOptions {
  cwd?: string;
  timeout?: number;
}

/** runCommand runs a program and collects its exit code (-1 when it was killed) and output. */
export function runCommand(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  input = "",
  opts: RunOptions = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ["pipe", "pipe", "pipe"], ...opts });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}
