// Authorized unary calls per second and latency (p50/p99) through the real server: every call
// passes rate limiting, audit, JWT verification, the token store, membership lookup (cached) and
// the authorization decision. Compares a project-scoped ProjectService.Get with the public
// HealthService.Get, each with 1 and 50 concurrent clients (one HTTP/2 connection per client),
// median of several runs.
// Run: node --import tsx bench/rpc-throughput.ts   (embedded SQLite store, temporary data dir)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { HealthService } from "../src/gen/metalstack/api/v2/health_pb.js";
import { ProjectService } from "../src/gen/metalstack/api/v2/project_pb.js";
import { defaultServerConfig } from "../src/server/config.js";
import { silentLogger } from "../src/server/log.js";
import { startServer } from "../src/server/server.js";
import { seedViewer } from "./lib/components.js";

const RUNS = 5;
const RUN_MS = 2_000;
const WARMUP_MS = 1_000;
const CONCURRENCY = [1, 50];

interface RunResult {
  perSecond: number;
  latenciesMs: number[];
}

async function runFor(clients: (() => Promise<unknown>)[], ms: number): Promise<RunResult> {
  const latenciesMs: number[] = [];
  const end = performance.now() + ms;
  await Promise.all(
    clients.map(async (call) => {
      while (performance.now() < end) {
        const t = performance.now();
        await call();
        latenciesMs.push(performance.now() - t);
      }
    }),
  );
  return { perSecond: latenciesMs.length / (ms / 1000), latenciesMs };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "metal-bench-rpc-"));
const server = await startServer(
  {
    ...defaultServerConfig(),
    listen: "127.0.0.1:0",
    dataDir,
    // The bench measures the chain, not the limiter refusing it.
    rateLimits: { perAddress: 1e9, perUser: 1e9 },
  },
  { log: silentLogger, stdout: () => {} },
);
try {
  const ctx = server.ctx;
  const { project, accessToken } = await seedViewer(ctx);
  const auth: Interceptor = (next) => (req) => {
    req.header.set("authorization", `Bearer ${accessToken}`);
    return next(req);
  };
  const transport = () =>
    createConnectTransport({ baseUrl: server.url, httpVersion: "2", interceptors: [auth] });
  const cases = [
    {
      name: "ProjectService.Get (project viewer)",
      make: () => {
        const c = createClient(ProjectService, transport());
        return () => c.get({ project });
      },
    },
    {
      name: "HealthService.Get (public)",
      make: () => {
        const c = createClient(HealthService, transport());
        return () => c.get({});
      },
    },
  ];
  const rows: string[][] = [];
  for (const c of cases) {
    for (const n of CONCURRENCY) {
      const clients = Array.from({ length: n }, () => c.make());
      await runFor(clients, WARMUP_MS);
      const runs: RunResult[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await runFor(clients, RUN_MS));
      const rates = runs.map((r) => r.perSecond);
      const p50s = runs.map((r) =>
        percentile(
          [...r.latenciesMs].sort((a, b) => a - b),
          50,
        ),
      );
      const p99s = runs.map((r) =>
        percentile(
          [...r.latenciesMs].sort((a, b) => a - b),
          99,
        ),
      );
      rows.push([
        c.name,
        String(n),
        median(rates).toFixed(0),
        median(p50s).toFixed(2),
        median(p99s).toFixed(2),
      ]);
      process.stderr.write(".");
    }
  }
  process.stderr.write("\n");
  const header = ["call", "clients", "calls/s", "p50 ms", "p99 ms"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join("  ");
  console.log(`rpc-throughput: median of ${RUNS} runs of ${RUN_MS / 1000}s each, Node ${process.version}`);
  console.log(line(header));
  for (const r of rows) console.log(line(r));
} finally {
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
