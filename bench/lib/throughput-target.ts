// One target of bench/server-throughput.ts, run in its own process so the load generator never
// shares its event loop. The bench bundles this file into plain JavaScript that imports the server
// from a built dist/ (bench/lib/built-target.ts) and runs `node dist/bench/throughput-target.js KIND`,
// KIND one of bare-http, bare-connect, embedded, production. It listens on a free loopback port,
// prints one JSON line with the URL (and, for our server, a project id and a login token for a project
// viewer), and serves until SIGTERM; then it removes what it created and exits, so `--cpu-prof`
// writes its profile.
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type net from "node:net";
import os from "node:os";
import path from "node:path";
import { create } from "@bufbuild/protobuf";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import {
  HealthService,
  HealthServiceGetResponseSchema,
  ServiceStatus,
} from "../../src/gen/metalstack/api/v2/health_pb.js";
import { defaultServerConfig, type ServerConfig } from "../../src/server/config.js";
import { silentLogger } from "../../src/server/log.js";
import { startServer } from "../../src/server/server.js";
import { deleteRedisPrefix } from "../../test/helpers/redis.js";
import { adminQuery, REDIS, seedViewer } from "./components.js";

/** Ready is what the target prints once it listens. */
export interface Ready {
  url: string;
  project?: string;
  token?: string;
}

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () =>
      resolve(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}`),
    );
  });
}

async function bare(handler: http.RequestListener): Promise<{ ready: Ready; close(): Promise<void> }> {
  const server = http.createServer(handler);
  const url = await listen(server);
  return {
    ready: { url },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function ours(production: boolean): Promise<{ ready: Ready; close(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "metal-bench-"));
  const db = production ? `metal_bench_${crypto.randomBytes(4).toString("hex")}` : "";
  const redisKeyPrefix = `metal-bench-${crypto.randomBytes(4).toString("hex")}:`;
  if (db) await adminQuery(`CREATE DATABASE ${db}`);
  const config: ServerConfig = {
    ...defaultServerConfig(),
    listen: "127.0.0.1:0",
    dataDir,
    databaseUrl: db ? `postgres://postgres@127.0.0.1:5432/${db}` : "",
    redisUrl: production ? REDIS : "",
    redisKeyPrefix,
    // The bench measures the chain, not the limiter refusing it: every connection comes from one address.
    rateLimits: { perAddress: 1e9, perUser: 1e9 },
  };
  const server = await startServer(config, { log: silentLogger, stdout: () => {} });
  const ctx = server.ctx;
  const { project, accessToken } = await seedViewer(ctx);
  return {
    ready: { url: server.url, project, token: accessToken },
    async close() {
      if (ctx.redis) await deleteRedisPrefix(ctx.redis, redisKeyPrefix);
      await server.close();
      if (db) await adminQuery(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const CONSTANT = JSON.stringify({ status: "SERVICE_STATUS_HEALTHY" });

const targets: Record<string, () => Promise<{ ready: Ready; close(): Promise<void> }>> = {
  "bare-http": () =>
    bare((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(CONSTANT);
      });
    }),
  "bare-connect": () =>
    bare(
      connectNodeAdapter({
        routes: (router) =>
          router.service(HealthService, {
            get: () => create(HealthServiceGetResponseSchema, { status: ServiceStatus.HEALTHY }),
          }),
      }),
    ),
  embedded: () => ours(false),
  production: () => ours(true),
};

const kind = process.argv[2] ?? "";
const make = targets[kind];
if (!make) {
  console.error(`usage: throughput-target.ts ${Object.keys(targets).join("|")}`);
  process.exit(2);
}
const target = await make();
process.stdout.write(`${JSON.stringify(target.ready)}\n`);
process.once("SIGTERM", () => {
  target.close().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
});
