// Shared set-up of the CLI benchmarks: the built CLI, an in-process server with a user "bench" that
// owns a project, a throw-away home directory, and the median the figures are reported as.
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
/** CLI_BIN is the built metalctl entry point. */
export const CLI_BIN = path.join(root, "bin/run.js");

/** requireBuild exits with a hint when `dist/` lacks the module a benchmark runs. */
export function requireBuild(distFile: string): void {
  if (!fs.existsSync(path.join(root, "dist", distFile))) {
    console.error("dist/ is missing: run `npm run build` first");
    process.exit(1);
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
