// Time of one dynamic completion (`metalctl __complete machine describe ""`, what a TAB runs) as a
// ratio to `node -e 0` measured in the same run: with a warm cache (answered from
// $XDG_CACHE_HOME/metalctl without the API) and a cold one (the cache is removed before each run, so
// the completion asks the local in-process server and fills it; a single executable keeps its files).
// Run: npm run build && node --import tsx bench/completion.ts   (METALCTL_BENCH_BIN: see cli-startup.ts)
import fs from "node:fs";
import path from "node:path";
import { cliArgv, FLOOR, measure, requireBuild, startCliBenchWorld, timeRun } from "./lib/cli-bench.js";

requireBuild("src/cli/completion/main.cjs");
const world = await startCliBenchWorld();
try {
  const { home } = world;
  const cache = path.join(home, "cache");
  // contextEnv names server and project by the current context of config.yaml (login, project set).
  const contextEnv = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, "config"),
    XDG_CACHE_HOME: cache,
    METALCTL_API_TOKEN: world.accessToken,
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(home, "no-bus")}`,
  };
  const env = { ...contextEnv, METALCTL_API_URL: world.url, METALCTL_PROJECT: world.projectId };
  const complete = cliArgv(["__complete", "machine", "describe", ""]);
  await timeRun(complete, env); // fills the cache once
  await timeRun(
    cliArgv(["login", "--with-token", "--api-url", world.url, "--context", "bench"]),
    contextEnv,
    world.accessToken,
  );
  await timeRun(cliArgv(["project", "set", world.projectId]), contextEnv);
  await timeRun(complete, contextEnv);
  await measure(
    "metalctl completion",
    [
      { name: "node -e 0", argv: FLOOR },
      { name: "completion, warm cache", argv: complete },
      { name: "completion, warm cache, context", argv: complete, env: contextEnv },
      {
        name: "completion, cold cache",
        argv: complete,
        // Only the completion's values: a single executable's unpacked files (sea-*) are no cache of it,
        // and the context's resolved target (targets.json) is not used when the environment names both.
        before: () => {
          const dir = path.join(cache, "metalctl");
          for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
            if (!f.startsWith("sea-") && f !== "targets.json")
              fs.rmSync(path.join(dir, f), { recursive: true, force: true });
          }
        },
      },
    ],
    env,
  );
} finally {
  await world.close();
}
