// Start-up cost of the built metalctl: median wall time of `node -e 0` (the floor), `metalctl
// --version` (oclif + manifest, no command module), `metalctl context list` (a command without the
// network) and `metalctl project list` against a local in-process server (a full API round trip),
// each run several times in alternation so load from other processes hits all alike.
// Run: npm run build && node --import tsx bench/cli-startup.ts
import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { CLI_BIN as bin, median, RUNS, requireBuild, startCliBenchWorld } from "./lib/cli-bench.js";

requireBuild("commands/project/list.js");
const world = await startCliBenchWorld();
const { home, accessToken } = world;
const env = {
  PATH: process.env.PATH,
  HOME: home,
  XDG_CONFIG_HOME: path.join(home, ".config"),
  DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(home, "no-bus")}`,
};

/** Sample is one run: wall time, and CPU time (user + system) which load from other processes barely changes. */
interface Sample {
  wallMs: number;
  cpuMs: number;
}

// The server answers on this process's event loop, so the CLI runs asynchronously (spawnSync would
// block it). bash's `times` reports the CPU time of the node child.
const WRAP = 'node "$@" >/dev/null; s=$?; times; exit $s';

function timeAsync(args: string[], input = ""): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn("bash", ["-c", WRAP, "bench", ...args], {
      env: { ...env, PATH: `${path.dirname(process.execPath)}:${env.PATH}` },
      stdio: ["pipe", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.once("close", (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      // `times` prints the shell's own times, then its children's: "0m0.812s 0m0.204s".
      const m = /(\d+)m([\d.]+)s (\d+)m([\d.]+)s\s*$/.exec(out.trim());
      const cpuMs = m
        ? (Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000
        : Number.NaN;
      if (code === 0) resolve({ wallMs, cpuMs });
      else reject(new Error(`node ${args.join(" ")} failed with exit code ${code}`));
    });
    child.stdin.end(input);
  });
}

await timeAsync([bin, "login", "--with-token", "--api-url", world.url, "--context", "bench"], accessToken);

const cases: [string, string[]][] = [
  ["node -e 0", ["-e", "0"]],
  ["metalctl --version", [bin, "--version"]],
  ["metalctl context list", [bin, "context", "list"]],
  ["metalctl project list (local server)", [bin, "project", "list"]],
];
const samples = new Map<string, Sample[]>(cases.map(([name]) => [name, []]));
await timeAsync(["-e", "0"]);
for (let i = 0; i < RUNS; i++) {
  for (const [name, args] of cases) samples.get(name)!.push(await timeAsync(args));
}

const stat = (name: string, key: keyof Sample) => median(samples.get(name)!.map((x) => x[key]));
const floorCpu = stat("node -e 0", "cpuMs");
console.log(
  `metalctl start-up, median of ${RUNS} runs (Node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)})`,
);
console.log(`  ${"".padEnd(38)} ${"wall".padStart(8)} ${"CPU".padStart(8)}   CPU over node -e 0`);
for (const [name] of cases) {
  const wall = stat(name, "wallMs");
  const cpu = stat(name, "cpuMs");
  const extra = name === "node -e 0" ? "" : `+${(cpu - floorCpu).toFixed(0)} ms`;
  console.log(
    `  ${name.padEnd(38)} ${wall.toFixed(0).padStart(5)} ms ${cpu.toFixed(0).padStart(5)} ms   ${extra}`,
  );
}

await world.close();
