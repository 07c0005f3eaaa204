// Server throughput measured from outside: every target server runs in its own process
// (bench/lib/throughput-target.ts) and autocannon drives it from another (bench/lib/load-generator.js),
// over HTTP/1.1 keep-alive with 50 connections, Connect unary JSON calls. Targets: bare node:http
// answering a constant JSON body (the floor), bare connect-node with only HealthService.Get, our
// public HealthService.Get, and our ProjectService.Get as a project viewer with a login token — on the
// embedded SQLite store and on PostgreSQL + Redis (skipped with a notice when they are not on
// 127.0.0.1:5432 / :6379). Runs take turns between targets so load from elsewhere on the machine hits
// all of them alike; each figure is the median of the runs. Prints requests/s, p50/p99, the ratio to
// the floor and the ratios issue 16 targets.
// The targets run as plain JavaScript against the built server in dist/ (what `metal-apiserver` runs),
// so `npm run build` first; the bench refuses a dist/ older than the sources.
// Run: node --import tsx bench/server-throughput.ts [TARGET-NAME-PART...]
// METAL_BENCH_CPU_PROF=DIR writes a CPU profile of each target server process into DIR.
// METAL_BENCH_DIST=DIR measures the server built in DIR instead (e.g. another commit's dist/, in a tree
// with node_modules), so two builds can be compared back to back with the same bench.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { builtTarget } from "./lib/built-target.js";
import { reachable } from "./lib/components.js";
import type { Ready } from "./lib/throughput-target.js";

const RUNS = 3;
const RUN_S = 6;
const WARMUP_S = 2;
const CONNECTIONS = 50;

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const HEALTH = "/metalstack.api.v2.HealthService/Get";
const PROJECT_GET = "/metalstack.api.v2.ProjectService/Get";

type Kind = "bare-http" | "bare-connect" | "embedded" | "production";

interface Case {
  name: string;
  kind: Kind;
  /** Path and JSON body of the call, and whether it carries the viewer's token. */
  call(ready: Ready): { path: string; body: string; auth: boolean };
}

const cases: Case[] = [
  {
    name: "bare node:http, constant JSON",
    kind: "bare-http",
    call: () => ({ path: "/", body: "{}", auth: false }),
  },
  {
    name: "bare connect-node, Health.Get only",
    kind: "bare-connect",
    call: () => ({ path: HEALTH, body: "{}", auth: false }),
  },
  {
    name: "our HealthService.Get (public)",
    kind: "embedded",
    call: () => ({ path: HEALTH, body: "{}", auth: false }),
  },
  {
    name: "our ProjectService.Get (viewer), SQLite",
    kind: "embedded",
    call: (r) => ({ path: PROJECT_GET, body: JSON.stringify({ project: r.project }), auth: true }),
  },
  {
    name: "our ProjectService.Get (viewer), PG+Redis",
    kind: "production",
    call: (r) => ({ path: PROJECT_GET, body: JSON.stringify({ project: r.project }), auth: true }),
  },
];

interface Figures {
  perSecond: number;
  p50: number;
  p99: number;
  ok: number;
  failed: number;
  /** CPU time the target server process spent per answered call, in µs; NaN where /proc is missing. */
  cpuPerCall: number;
}

/** cpuMs reads a process' user + system CPU time from /proc (Linux), or NaN. */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

/** startTarget spawns one target server process from the built target file and waits for its ready line. */
async function startTarget(file: string, kind: Kind): Promise<{ child: ChildProcess; ready: Ready }> {
  const profDir = process.env.METAL_BENCH_CPU_PROF;
  const flags = profDir ? ["--cpu-prof", "--cpu-prof-dir", path.join(profDir, kind)] : [];
  const child = spawn(process.execPath, [...flags, file, kind], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`target ${kind} exited (${code}) before it listened`)));
  });
  return { child, ready: JSON.parse(first) as Ready };
}

async function stopTarget(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

/** load runs autocannon in a child process against one call for `seconds`. */
async function load(
  target: { child: ChildProcess; ready: Ready },
  c: Case,
  seconds: number,
): Promise<Figures> {
  const ready = target.ready;
  const cpuBefore = cpuMs(target.child.pid);
  const { path: p, body, auth } = c.call(ready);
  const child = spawn(process.execPath, [path.join(benchDir, "lib", "load-generator.js")], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (d) => {
    out += d;
  });
  const done = new Promise<number | null>((resolve) => child.once("exit", resolve));
  child.stdin.end(
    JSON.stringify({
      url: `${ready.url}${p}`,
      connections: CONNECTIONS,
      duration: seconds,
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(auth ? { authorization: `Bearer ${ready.token}` } : {}),
      },
      body,
    }),
  );
  const code = await done;
  if (code !== 0) throw new Error(`load generator exited ${code} for ${c.name}`);
  const f = JSON.parse(out) as Omit<Figures, "cpuPerCall">;
  return { ...f, cpuPerCall: ((cpuMs(target.child.pid) - cpuBefore) * 1000) / f.ok };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

const filters = process.argv.slice(2);
let selected = cases.filter(
  (c) => filters.length === 0 || filters.some((f) => c.name.includes(f) || c.kind === f),
);
if (selected.some((c) => c.kind === "production") && !((await reachable(5432)) && (await reachable(6379)))) {
  console.log("NOTICE: PostgreSQL or Redis not reachable on 127.0.0.1; skipping the PG+Redis target");
  selected = selected.filter((c) => c.kind !== "production");
}

const root = path.dirname(benchDir);
const distDir = path.resolve(process.env.METAL_BENCH_DIST ?? path.join(root, "dist"));
let targetFile: string;
try {
  targetFile = await builtTarget(root, distDir);
} catch (err) {
  console.error(`server-throughput: ${(err as Error).message}`);
  process.exit(1);
}

const running = new Map<Kind, { child: ChildProcess; ready: Ready }>();
const results = new Map<Case, Figures[]>();
try {
  for (const c of selected) {
    if (!running.has(c.kind)) running.set(c.kind, await startTarget(targetFile, c.kind));
  }
  const target = (c: Case) => running.get(c.kind) as { child: ChildProcess; ready: Ready };
  for (const c of selected) await load(target(c), c, WARMUP_S); // JIT, connections, caches
  for (let run = 0; run < RUNS; run++) {
    for (const c of selected) {
      const f = await load(target(c), c, RUN_S);
      if (f.failed > 0 || f.ok === 0) {
        throw new Error(
          `${c.name}: ${f.failed} of ${f.ok + f.failed} calls failed; the figures would be meaningless`,
        );
      }
      results.set(c, [...(results.get(c) ?? []), f]);
      process.stderr.write(".");
    }
  }
  process.stderr.write("\n");
} finally {
  for (const { child } of running.values()) await stopTarget(child);
}

const summary = new Map(
  [...results].map(([c, runs]) => [
    c,
    {
      perSecond: median(runs.map((r) => r.perSecond)),
      p50: median(runs.map((r) => r.p50)),
      p99: median(runs.map((r) => r.p99)),
      cpuPerCall: median(runs.map((r) => r.cpuPerCall)),
    },
  ]),
);
const floor = summary.get(cases[0] as Case)?.perSecond;
const rows = [...summary].map(([c, s]) => [
  c.name,
  s.perSecond.toFixed(0),
  `${s.p50} / ${s.p99}`,
  floor ? (s.perSecond / floor).toFixed(2) : "-",
  s.cpuPerCall.toFixed(0),
]);
const header = ["target", "requests/s", "p50 / p99 ms", "x floor", "server CPU µs/call"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
const line = (cells: string[]) =>
  cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ");
const shown = path.relative(root, distDir).startsWith("..") ? distDir : path.relative(root, distDir);
console.log(
  `server-throughput: autocannon, HTTP/1.1 keep-alive, ${CONNECTIONS} connections, median of ${RUNS} runs of ${RUN_S}s, Node ${process.version}, server from ${shown}`,
);
console.log(line(header));
for (const r of rows) console.log(line(r));

const at = (i: number) => summary.get(cases[i] as Case);
// Requests/s swing with whatever else runs on the machine; CPU per call much less, so both are shown.
const ratio = (label: string, a: number, b: number, target: string) => {
  const x = at(a);
  const y = at(b);
  if (!x || !y) return;
  const byCpu = y.cpuPerCall / x.cpuPerCall;
  console.log(
    `${label}: ${(x.perSecond / y.perSecond).toFixed(2)} by requests/s, ${Number.isNaN(byCpu) ? "-" : byCpu.toFixed(2)} by server CPU per call (target ${target})`,
  );
};
ratio("our Health.Get / bare connect-node", 2, 1, ">= 0.9");
ratio("authorized Get / our Health.Get", 3, 2, ">= 0.8");
ratio("authorized Get PG+Redis / SQLite", 4, 3, ">= 0.6");
for (const [c, s] of summary) {
  if (c.kind === "embedded" || c.kind === "production") {
    console.log(`p99 / p50, ${c.name}: ${(s.p99 / s.p50).toFixed(1)} (target <= 3)`);
  }
}
