import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** ROOT is the repository root. */
export const ROOT = path.resolve(import.meta.dirname, "../..");
/** CLI_BIN is the built metalctl (`npm run build` first). */
export const CLI_BIN = path.join(ROOT, "bin/run.cjs");
const APISERVER_BIN = path.join(ROOT, "bin/apiserver.js");

/** CliResult is what one run of a program produced: its exit code (-1 when killed) and output. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** RunOptions are the working directory of a run (default: the repository) and when it is killed. */
export interface RunOptions {
  cwd?: string;
  timeout?: number;
}

/**
 * runCli runs the built CLI, `node bin/run.cjs ARGS`, as a subprocess with exactly the given
 * environment and stdin; it runs asynchronously, so an in-process server keeps serving meanwhile.
 */
export function runCli(args: string[], env: NodeJS.ProcessEnv, input = ""): Promise<CliResult> {
  return runProgram(process.execPath, [CLI_BIN, ...args], env, input, { timeout: 60_000 });
}

/** spawnCli starts the built CLI without waiting, for tests that watch or answer its output. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [CLI_BIN, ...args], { env, cwd: ROOT });
}

/** runApiserver runs the built server, `node bin/apiserver.js ARGS`, as an operator would, with an empty stdin. */
export function runApiserver(
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: RunOptions = {},
): Promise<CliResult> {
  return runProgram(process.execPath, [APISERVER_BIN, ...args], env, "", opts);
}

/** runProgram runs any program with exactly the given environment and stdin and collects what it printed. */
export function runProgram(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  input = "",
  opts: RunOptions = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, cwd: opts.cwd ?? ROOT, timeout: opts.timeout });
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
    // A program may exit without reading its input; what it printed and its exit code are the answer.
    child.stdin.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code !== "EPIPE") reject(err);
    });
    child.stdin.end(input);
  });
}

/** cliEnv is the environment of a CLI user: temporary XDG dirs, the server URL, and optionally a token and project. */
export function cliEnv(home: string, url: string, token?: string, project?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, "config"),
    XDG_CACHE_HOME: path.join(home, "cache"),
    XDG_DATA_HOME: path.join(home, "data"),
    METALCTL_API_URL: url,
    NO_COLOR: "1",
  };
  if (token) env.METALCTL_API_TOKEN = token;
  if (project) env.METALCTL_PROJECT = project;
  return env;
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
 * createCliSandbox prepares temporary HOME and XDG_CONFIG_HOME directories for the built CLI. No
 * display and no D-Bus session: the keychain is unusable, so logins fall back to the 0600 file
 * unless a test provides a keychain.
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
