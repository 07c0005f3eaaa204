// Lists one project's 50 machines through the real API (HTTP, real token, all interceptors) on two
// servers, one with 1,000 and one with 100,000 machines in the system, and prints the median
// latencies and their ratio; then the same with filters (partition, network, label) that keep half
// of them. Calls alternate between the two servers so that load from other processes hits both
// alike. The ratios stay near 1 because both lists walk the (project, id) index.
// Run: node --import tsx bench/machine-list.ts   (embedded SQLite store, temporary data dirs)
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { type Client, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import {
  MachineProvisioningEventType,
  MachineService,
  MachineState,
} from "../src/gen/metalstack/api/v2/machine_pb.js";
import { defaultServerConfig } from "../src/server/config.js";
import { stableUuid } from "../src/server/dev/demo-machines.js";
import { silentLogger } from "../src/server/log.js";
import { type RunningServer, startServer } from "../src/server/server.js";
import type { MachineRow } from "../src/server/store/machine-schema.js";
import { createProject } from "../src/server/tenancy/projects.js";
import { ensureUser } from "../src/server/tenancy/users.js";

const PROJECT_MACHINES = 50;
const OTHER_PROJECTS = 100;
const RUNS = 101;
const BATCH = 500;

/** System is one server holding `total` machines, 50 of them in the target project. */
interface System {
  server: RunningServer;
  dataDir: string;
  target: string;
  client: Client<typeof MachineService>;
}

async function startSystem(total: number): Promise<System> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "metal-bench-"));
  const server = await startServer(
    { ...defaultServerConfig(), listen: "127.0.0.1:0", dataDir },
    { log: silentLogger, stdout: () => {} },
  );
  const ctx = server.ctx;
  await ensureUser(ctx, { id: "bench", name: "bench", email: "bench@example.com" });
  const target = (await createProject(ctx, "bench", "bench", { name: "target", description: "", labels: {} }))
    .id;
  const others: string[] = [];
  for (let i = 0; i < OTHER_PROJECTS; i++) {
    others.push(
      (await createProject(ctx, "bench", "bench", { name: `other-${i}`, description: "", labels: {} })).id,
    );
  }
  for (let i = 0; i < total; ) {
    const rows: MachineRow[] = [];
    for (; rows.length < BATCH && i < total; i++) {
      // The target project's machines are spread over the whole id range, the rest over other projects or free.
      const project =
        i % (total / PROJECT_MACHINES) === 0 ? target : i % 3 === 0 ? null : others[i % others.length]!;
      rows.push(machineRow(i, total, project));
    }
    await ctx.db.kysely.insertInto("machines").values(rows).execute();
  }
  const auth = await ctx.tokens.issueUserSession("bench");
  const bearer: Interceptor = (next) => (req) => {
    req.header.set("authorization", `Bearer ${auth.accessToken}`);
    return next(req);
  };
  const client = createClient(
    MachineService,
    createConnectTransport({
      baseUrl: server.url,
      httpVersion: "1.1",
      interceptors: [bearer],
      nodeOptions: { agent: new http.Agent({ keepAlive: true }) },
    }),
  );
  return { server, dataDir, target, client };
}

/** FILTER keeps the target project's machines with an even number: half of them. */
const FILTER = { partition: "bench", network: "internet", labels: { tier: "even" } };

async function timedList(s: System, filtered: boolean): Promise<number> {
  const start = process.hrtime.bigint();
  const { machines } = await s.client.list({ project: s.target, query: filtered ? FILTER : undefined });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const want = filtered ? PROJECT_MACHINES / 2 : PROJECT_MACHINES;
  if (machines.length !== want) throw new Error(`expected ${want} machines, got ${machines.length}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const small = await startSystem(1_000);
const large = await startSystem(100_000);
try {
  for (const filtered of [false, true]) {
    await timedList(small, filtered); // warm-up: connections, token and permission caches, statement caches
    await timedList(large, filtered);
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      a.push(await timedList(small, filtered));
      b.push(await timedList(large, filtered));
    }
    const ms = [median(a), median(b)];
    const what = filtered
      ? `the ${PROJECT_MACHINES / 2} of one project's ${PROJECT_MACHINES} machines a filter keeps (partition, network, label)`
      : `one project's ${PROJECT_MACHINES} machines`;
    console.log(`machine-list (sqlite): ${what} over the API, median of ${RUNS} calls`);
    console.log(`  with   1,000 machines in the system: ${ms[0]!.toFixed(2)} ms`);
    console.log(`  with 100,000 machines in the system: ${ms[1]!.toFixed(2)} ms`);
    console.log(`  ratio: ${(ms[1]! / ms[0]!).toFixed(2)}`);
  }
} finally {
  for (const s of [small, large]) {
    await s.server.close();
    fs.rmSync(s.dataDir, { recursive: true, force: true });
  }
}

function machineRow(i: number, total: number, project: string | null): MachineRow {
  const now = new Date().toISOString();
  return {
    id: stableUuid(`bench/${i}`),
    partition: "bench",
    size: "bench-size",
    rack: `rack-${i % 20}`,
    hardware: JSON.stringify({ cpuCores: 8, memory: String(32 * 1024 ** 3) }),
    bmc_address: `10.0.${i >> 8}.${i & 0xff}:623`,
    bmc_user: "admin",
    bmc_password: "bench",
    state: MachineState.AVAILABLE,
    state_description: "",
    project,
    allocation_id: project ? stableUuid(`bench/alloc/${i}`) : null,
    name: project ? `m-${i}` : null,
    hostname: project ? `m-${i}` : null,
    image: project ? "ubuntu-24.04" : null,
    allocation: project
      ? JSON.stringify({
          description: "",
          filesystemLayout: "default",
          networks: [{ network: "internet", ips: [] }],
          sshPublicKeys: [],
          userdata: "",
          createdAt: now,
          createdBy: "bench",
        })
      : null,
    labels: JSON.stringify({ tier: (i / (total / PROJECT_MACHINES)) % 2 === 0 ? "even" : "odd" }),
    last_event: project ? MachineProvisioningEventType.PHONED_HOME : MachineProvisioningEventType.WAITING,
    last_event_time: now,
    event_seq: 0,
    crash_streak: 0,
    power_state: 0,
    next_boot: 0,
    led_state: 0,
    management_updated_at: null,
    generation: 1,
    created_at: now,
    updated_at: now,
  };
}
