// Time of one dynamic completion (`metalctl __complete machine describe ""`, what a TAB runs) with a
// warm cache (answered from $XDG_CACHE_HOME/metalctl without the API) and a cold one (the cache is
// removed before each run, so the completion asks the API and fills it), next to `node -e 0`.
// Medians of several runs, alternating so load from other processes hits all alike.
// Run: npm run build && node --import tsx bench/completion.ts
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { CLI_BIN as bin, median, RUNS, requireBuild, startCliBenchWorld } from "./lib/cli-bench.js";

requireBuild("src/cli/completion/main.js");
const world = await startCliBenchWorld();
const { home } = world;
const cache = path.join(home, "cache");
const env = {
  PATH: process.env.PATH,
  HOME: home,
  XDG_CONFIG_HOME: path.join(home, "config"),
  XDG_CACHE_HOME: cache,
  METALCTL_API_URL: world.url,
  METALCTL_API_TOKEN: world.accessToken,
  METALCTL_PROJECT: world.projectId,
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
  await world.close();
}

console.log(`metalctl completion, median of ${RUNS} runs (wall time)`);
for (const [name, xs] of Object.entries(samples))
  console.log(`  ${name.padEnd(26)} ${median(xs).toFixed(0).padStart(6)} ms`);
