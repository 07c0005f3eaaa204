// Authorized unary calls (ProjectService.Get as a project member: token check, role check, query)
// next to the public health call, with 1 and with 50 concurrent clients, on the embedded store and
// on PostgreSQL + Redis. Prints calls per second and p50/p99 latency; a fixed number of calls per
// case, so the run is bounded. Skips PostgreSQL + Redis with a notice when they are not on
// 127.0.0.1:5432 / 127.0.0.1:6379.
// Run: node --import tsx bench/production-mode.ts
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { HealthService } from "../src/gen/metalstack/api/v2/health_pb.js";
import { ProjectService } from "../src/gen/metalstack/api/v2/project_pb.js";
import { defaultServerConfig } from "../src/server/config.js";
import { silentLogger } from "../src/server/log.js";
import { type RunningServer, startServer } from "../src/server/server.js";
import { createProject } from "../src/server/tenancy/projects.js";
import { ensureUser } from "../src/server/tenancy/users.js";
import { adminQuery, REDIS, reachable } from "./lib/components.js";

const CALLS = 2_000;
const CONCURRENCY = [1, 50];

interface Setup {
  name: string;
  server: RunningServer;
  cleanup(): Promise<void>;
}

async function embedded(): Promise<Setup> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "metal-bench-"));
  const server = await startServer(
    { ...defaultServerConfig(), listen: "127.0.0.1:0", dataDir },
    { log: silentLogger, stdout: () => {} },
  );
  return {
    name: "embedded SQLite",
    server,
    cleanup: async () => {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function production(): Promise<Setup> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "metal-bench-"));
  const db = `metal_bench_${crypto.randomBytes(4).toString("hex")}`;
  await adminQuery(`CREATE DATABASE ${db}`);
  const server = await startServer(
    {
      ...defaultServerConfig(),
      listen: "127.0.0.1:0",
      dataDir,
      databaseUrl: `postgres://postgres@127.0.0.1:5432/${db}`,
      redisUrl: REDIS,
    },
    { log: silentLogger, stdout: () => {} },
  );
  return {
    name: "PostgreSQL + Redis",
    server,
    cleanup: async () => {
      await server.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** measure runs CALLS calls spread over `clients` concurrent loops and returns calls/s, p50 and p99 in ms. */
async function measure(clients: number, call: () => Promise<unknown>) {
  const latencies: number[] = [];
  let left = CALLS;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (left-- > 0) {
        const t = process.hrtime.bigint();
        await call();
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
  return { perSecond: latencies.length / seconds, p50: pct(0.5), p99: pct(0.99) };
}

async function bench(setup: Setup): Promise<void> {
  const { ctx, url } = setup.server;
  await ensureUser(ctx, { id: "bench", name: "bench", email: "bench@example.com" });
  const project = await createProject(ctx, "bench", "bench", { name: "bench", description: "", labels: {} });
  const { accessToken } = await ctx.tokens.issueUserSession("bench");
  const bearer: Interceptor = (next) => (req) => {
    req.header.set("authorization", `Bearer ${accessToken}`);
    return next(req);
  };
  const transport = createConnectTransport({
    baseUrl: url,
    httpVersion: "1.1",
    interceptors: [bearer],
    nodeOptions: { agent: new http.Agent({ keepAlive: true, maxSockets: 64 }) },
  });
  const projects = createClient(ProjectService, transport);
  const health = createClient(HealthService, transport);
  const cases: [string, () => Promise<unknown>][] = [
    ["authorized ProjectService.Get", () => projects.get({ project: project.id })],
    ["public HealthService.Get     ", () => health.get({})],
  ];
  for (const [, call] of cases) await measure(1, call); // warm-up: connections, caches, JIT
  console.log(`${setup.name}: ${CALLS} calls per line`);
  for (const clients of CONCURRENCY) {
    for (const [name, call] of cases) {
      const r = await measure(clients, call);
      console.log(
        `  ${name} ${String(clients).padStart(2)} client(s): ${r.perSecond.toFixed(0).padStart(6)} calls/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms`,
      );
    }
  }
}

const setups: (() => Promise<Setup>)[] = [embedded];
if ((await reachable(5432)) && (await reachable(6379))) setups.push(production);
else console.log("NOTICE: PostgreSQL or Redis not reachable on 127.0.0.1; measuring the embedded store only");

for (const make of setups) {
  const setup = await make();
  try {
    await bench(setup);
  } finally {
    await setup.cleanup();
  }
}
