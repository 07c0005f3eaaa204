// Start-up cost of metalctl as a ratio to `node -e 0` measured in the same run: `--help` and
// `--version`, `context list` (a command without the network) and `machine list` against a local
// in-process server (a full API round trip with the token from `login --with-token`).
// Run: npm run build && node --import tsx bench/cli-startup.ts
// Another metalctl (npm-installed, single executable): METALCTL_BENCH_BIN=/path/to/metalctl; an earlier
// build measured in the same run, row by row: METALCTL_BENCH_COMPARE=/path/to/bin/run.js; another
// Node for metalctl and the floor: METALCTL_BENCH_NODE=/path/to/node.
import path from "node:path";
import { cliArgv, FLOOR, measure, requireBuild, startCliBenchWorld, timeRun } from "./lib/cli-bench.js";

requireBuild("commands/machine/list.js");
const world = await startCliBenchWorld();
try {
  const { home } = world;
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, ".config"),
    XDG_CACHE_HOME: path.join(home, ".cache"),
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(home, "no-bus")}`,
  };
  const login = ["login", "--with-token", "--api-url", world.url, "--context", "bench"];
  await timeRun(cliArgv(login), env, world.accessToken);
  await timeRun(cliArgv(["project", "set", world.projectId]), env);
  await measure(
    "metalctl start-up",
    [
      { name: "node -e 0", argv: FLOOR },
      { name: "metalctl --help", argv: cliArgv(["--help"]) },
      { name: "metalctl --version", argv: cliArgv(["--version"]) },
      { name: "metalctl context list", argv: cliArgv(["context", "list"]) },
      { name: "metalctl machine list (local server)", argv: cliArgv(["machine", "list"]) },
    ],
    env,
  );
} finally {
  await world.close();
}
