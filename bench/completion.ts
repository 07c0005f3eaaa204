// Time of one dynamic completion (`metalctl __complete machine describe ""`, what a TAB runs) with a
// warm cache (answered from $XDG_CACHE_HOME/metalctl without the API) and a cold one (the cache is
// removed before each run, so the completion asks the API and fills it), next to `node -e 0`.
// Medians of several runs, alternating so load from other processes hits all alike.
// Run: npm run build && node --import tsx bench/completion.ts
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defaultServerConfig } from "../src/server/config.js";
import { silentLogger } from "../src/server/log.js";
import { startServer } from "../src/server/server.js";
import { createProject } from "../src/server/tenancy/projects.js";
import { ensureUser } from "../src/server/tenancy/users.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const root = path.resolve(import.meta.dirname, "..");
const bin = path.join(root, "bin/run.js");
if (!fs.existsSync(path.join(root, "dist/src/cli/completion/main.js"))) {
  console.error("dist/ is missing: run `npm run build` first");
  process.exit(1);
}

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
const cache = path.join(home, "cache");
const env = {
  PATH: process.env.PATH,
  HOME: home,
  XDG_CONFIG_HOME: path.join(home, "config"),
  XDG_CACHE_HOME: cache,
  METALCTL_API_URL: server.url,
  METALCTL_API_TOKEN: accessToken,
  METALCTL_PROJECT: project.id,
  DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(home, "no-bus")}`,
};

// The server answers on this process's event loop, so the CLI runs asynchronously.
function time(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "ignore", "inherit"] });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) reject(new Error(`${args.join(" ")} exited ${code}`));
      else resolve(Number(process.hrtime.bigint() - started) / 1e6);
    });
  });
}

const complete = [bin, "__complete", "machine", "describe", ""];
const samples: Record<string, number[]> = {
  "node -e 0": [],
  "completion, warm cache": [],
  "completion, cold cache": [],
};
try {
  await time(complete); // fills the cache once
  for (let i = 0; i < RUNS; i++) {
    samples["node -e 0"]!.push(await time(["-e", "0"]));
    samples["completion, warm cache"]!.push(await time(complete));
    fs.rmSync(cache, { recursive: true, force: true });
    samples["completion, cold cache"]!.push(await time(complete));
  }
} finally {
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(home, { recursive: true, force: true });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`metalctl completion, median of ${RUNS} runs (wall time)`);
for (const [name, xs] of Object.entries(samples))
  console.log(`  ${name.padEnd(26)} ${median(xs).toFixed(0).padStart(6)} ms`);
