// Shared set-up of the CLI benchmarks: the metalctl to measure, an in-process server with a user
// "bench" that owns a project, a throw-away home directory, and the median the figures are reported as.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defaultServerConfig } from "../../src/server/config.js";
import { silentLogger } from "../../src/server/log.js";
import { startServer } from "../../src/server/server.js";
import { createProject } from "../../src/server/tenancy/projects.js";
import { ensureUser } from "../../src/server/tenancy/users.js";

/** RUNS is how many times each case runs (BENCH_RUNS overrides). */
export const RUNS = Number(process.env.BENCH_RUNS ?? 11);

const root = path.resolve(import.meta.dirname, "../..");

/**
 * CLI_BIN is the metalctl measured: the development tree's bin/run.cjs, or METALCTL_BENCH_BIN (an
 * npm-installed `metalctl`, or the single executable). A JavaScript entry runs with NODE.
 */
export const CLI_BIN = fs.realpathSync(process.env.METALCTL_BENCH_BIN ?? path.join(root, "bin/run.cjs"));

/**
 * NODE runs metalctl and the floor: the node running the benchmark, or METALCTL_BENCH_NODE (e.g. a
 * newer Node than the one the in-process server's native modules were built for).
 */
export const NODE = process.env.METALCTL_BENCH_NODE ?? process.execPath;
const nodeVersion = execFileSync(NODE, ["--version"], { encoding: "utf8" }).trim();

/**
 * COMPARE_BIN is another metalctl measured in the same run, each of its rows next to CLI_BIN's: e.g. a
 * build of an earlier commit (METALCTL_BENCH_COMPARE=/path/to/old/bin/run.js).
 */
const COMPARE_BIN = process.env.METALCTL_BENCH_COMPARE
  ? fs.realpathSync(process.env.METALCTL_BENCH_COMPARE)
  : undefined;

/** cliArgv is the program and arguments that run metalctl (`bin`, CLI_BIN by default) with `args`. */
export function cliArgv(args: string[], bin = CLI_BIN): [string, string[]] {
  return /\.[cm]?js$/.test(bin) ? [NODE, [bin, ...args]] : [bin, args];
}

/** compared adds, after each case that runs CLI_BIN, the same case running COMPARE_BIN. */
function compared(cases: Case[]): Case[] {
  if (!COMPARE_BIN) return cases;
  return cases.flatMap((c) => {
    const [cmd, args] = c.argv;
    const rest = cmd === CLI_BIN ? args : args[0] === CLI_BIN ? args.slice(1) : undefined;
    return rest ? [c, { ...c, name: `${c.name} (compare)`, argv: cliArgv(rest, COMPARE_BIN) }] : [c];
  });
}

/** FLOOR is the baseline every figure is divided by: starting Node and doing nothing. */
export const FLOOR: [string, string[]] = [NODE, ["-e", "0"]];

/** requireBuild exits with a hint when the development tree's `dist/` lacks the module a benchmark runs. */
export function requireBuild(distFile: string): void {
  if (!process.env.METALCTL_BENCH_BIN && !fs.existsSync(path.join(root, "dist", distFile))) {
    console.error("dist/ is missing: run `npm run build` first");
    process.exit(1);
  }
}

/** Sample is one run: wall time, and CPU time (user + system), which load from other processes barely changes. */
export interface Sample {
  wallMs: number;
  cpuMs: number;
}

// bash's `times` prints the shell's own CPU times, then its children's ("0m0.812s 0m0.204s"): the
// last line is the command's. Every case (the floor too) pays the same small bash start-up.
const WRAP = '"$@" >/dev/null; s=$?; times >&3; exit $s';

/**
 * timeRun measures one run. It spawns asynchronously because the server answers on this process's
 * event loop; a non-zero exit fails the benchmark with the command's stderr.
 */
export function timeRun(
  [cmd, args]: [string, string[]],
  env: NodeJS.ProcessEnv,
  input = "",
): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn("bash", ["-c", WRAP, "bench", cmd, ...args], {
      env,
      stdio: ["pipe", "ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let times = "";
    child.stderr!.on("data", (d) => {
      stderr += d;
    });
    child.stdio[3]!.on("data", (d) => {
      times += d;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const m = /(\d+)m([\d.]+)s (\d+)m([\d.]+)s\s*$/.exec(times.trim());
      const cpuMs = m
        ? (Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000
        : Number.NaN;
      if (code === 0) resolve({ wallMs, cpuMs });
      else reject(new Error(`${[cmd, ...args].join(" ")} exited ${code}: ${stderr.trim()}`));
    });
    child.stdin!.end(input);
  });
}

/** Case is one row of a benchmark: its name, what runs (set-up between runs goes in `before`) and where. */
export interface Case {
  name: string;
  argv: [string, string[]];
  before?: () => void;
  /** The environment of this case, instead of the one measure was given. */
  env?: NodeJS.ProcessEnv;
}

/**
 * measure runs every case RUNS times in alternation (so load from other processes hits all alike)
 * and prints the median wall and CPU time of each with its ratio to the floor, the first case.
 */
export async function measure(title: string, all: Case[], env: NodeJS.ProcessEnv): Promise<void> {
  const cases = compared(all);
  const samples = cases.map(() => [] as Sample[]);
  for (let i = 0; i < RUNS; i++) {
    for (const [k, c] of cases.entries()) {
      c.before?.();
      samples[k]!.push(await timeRun(c.argv, c.env ?? env));
    }
  }
  const wall = samples.map((xs) => median(xs.map((x) => x.wallMs)));
  const cpu = samples.map((xs) => median(xs.map((x) => x.cpuMs)));
  console.log(
    `${title}, median of ${RUNS} runs (Node ${nodeVersion}, ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)})`,
  );
  console.log(`  metalctl: ${CLI_BIN}${COMPARE_BIN ? `, compared with ${COMPARE_BIN}` : ""}`);
  console.log(`  ${"".padEnd(40)} ${"wall".padStart(8)}  ratio ${"CPU".padStart(8)}  ratio`);
  for (const [k, c] of cases.entries()) {
    const col = (xs: number[]) =>
      `${xs[k]!.toFixed(0).padStart(5)} ms ${`${(xs[k]! / xs[0]!).toFixed(1)}×`.padStart(6)}`;
    console.log(`  ${c.name.padEnd(40)} ${col(wall)} ${col(cpu)}`);
  }
}

/** CliBenchWorld is a running server with the bench user's session, its project and a home directory. */
export interface CliBenchWorld {
  url: string;
  accessToken: string;
  projectId: string;
  home: string;
  close(): Promise<void>;
}

/** startCliBenchWorld starts the server on a random loopback port with the bench user and project. */
export async function startCliBenchWorld(): Promise<CliBenchWorld> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "metalctl-bench-data-"));
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "metalctl-bench-home-"));
  const server = await startServer(
    { ...defaultServerConfig(), listen: "127.0.0.1:0", dataDir },
    { log: silentLogger, stdout: () => {} },
  );
  await ensureUser(server.ctx, { id: "bench", name: "Bench", email: "" });
  const project = await createProject(server.ctx, "bench", "bench", {
    name: "bench",
    description: "",
    labels: {},
  });
  const { accessToken } = await server.ctx.tokens.issueUserSession("bench");
  return {
    url: server.url,
    accessToken,
    projectId: project.id,
    home,
    async close() {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/** median is the middle value of the samples (the upper one of an even count). */
export function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}
