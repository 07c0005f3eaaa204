// Lists one page (50 entries) of the audit trail through the real API (HTTP, real token, all
// interceptors) on PostgreSQL, filtered the ways `metalctl audit list` filters, on two servers: one
// whose audit log holds 1,000,000 rows and one with 100,000 rows of the same mix. Prints the median
// latency of each query on both and their ratio, which stays near 1 because every filter column has an
// index ending in (time, id): a page reads its own rows, not the table. Calls alternate between the two
// servers so load from other processes hits both alike.
// Needs PostgreSQL on 127.0.0.1:5432 (trust auth); skips with a notice without it.
// Run: node --import tsx bench/audit-list.ts
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type Client, createClient, type Interceptor, type Transport } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import pg from "pg";
import { AuditService as AdminAuditService } from "../src/gen/metalstack/admin/v2/audit_pb.js";
import { type AuditQuerySchema, AuditService } from "../src/gen/metalstack/api/v2/audit_pb.js";
import { AdminRole } from "../src/gen/metalstack/api/v2/common_pb.js";
import { defaultServerConfig } from "../src/server/config.js";
import { silentLogger } from "../src/server/log.js";
import { type RunningServer, startServer } from "../src/server/server.js";
import { ensureUser } from "../src/server/tenancy/users.js";
import { median } from "./lib/cli-bench.js";
import { adminQuery, reachable } from "./lib/components.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const PAGE = 50;
const USERS = 2_000;
const TENANTS = 500;
const METHODS = [
  "MachineService/Create",
  "MachineService/Update",
  "MachineService/Delete",
  "MachineService/Power",
  "IPService/Create",
  "IPService/Delete",
  "NetworkService/Allocate",
  "ProjectService/Get",
  "ProjectService/Update",
  "TenantService/Get",
].map((m) => `/metalstack.api.v2.${m}`);
const DAY_MS = 24 * 3600 * 1000;
/** DENIED is what `metalctl audit list --status denied` asks for. */
const DENIED = ["permission_denied", "unauthenticated"];
// The rows span 30 days, the newest one a minute before the start.
const NOW = Date.now();

type Query = MessageInitShape<typeof AuditQuerySchema>;

/** System is one server on its own PostgreSQL database with generated audit rows, as its two callers see it. */
interface System {
  admin: Client<typeof AdminAuditService>;
  owner: Client<typeof AuditService>;
}

/**
 * generate fills audit_log with `rows` rows in one statement: 2,000 users, 500 tenants (one of them the
 * bench user's own) with 4 projects each, 10 methods, 95% ok, 3% permission_denied, 2% not_found, and
 * a request ID shared by every 5 rows, the way one CLI command makes several calls. Each property
 * comes from its own hash of the row number, so they do not correlate. The table's indexes are dropped
 * for the load and rebuilt from their own definitions afterwards, which is several times faster and
 * ends in the same state.
 */
async function generate(databaseUrl: string, rows: number): Promise<void> {
  // Its own connection: the server's pool bounds every statement (statement_timeout), and a load of a
  // million rows on a busy machine takes longer than that bound.
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const spacingMs = (30 * DAY_MS) / rows;
    const methods = `ARRAY[${METHODS.map((m) => `'${m}'`).join(",")}]`;
    const pick = (seed: number, n: number) => `(abs(hashint8extended(i, ${seed})) % ${n})`;
    const indexes = await db.query<{ name: string; definition: string }>(`
    SELECT indexname AS name, indexdef AS definition FROM pg_indexes
    WHERE tablename = 'audit_log' AND indexname NOT LIKE '%pkey'`);
    for (const index of indexes.rows) await db.query(`DROP INDEX ${index.name}`);
    await db.query(`
      INSERT INTO audit_log (id, time, user_id, token_id, method, subject, tenant, project, code,
                             duration_ms, client_address, request_id, request)
      SELECT md5('row' || i)::uuid::text,
             to_char(to_timestamp((${NOW - 60_000} - i * ${spacingMs}) / 1000.0) AT TIME ZONE 'UTC',
                     'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
             'user-' || ${pick(1, USERS)},
             '',
             (${methods})[1 + ${pick(2, METHODS.length)}],
             t.project, t.tenant, t.project,
             CASE WHEN ${pick(3, 100)} < 3 THEN 'permission_denied'
                  WHEN ${pick(3, 100)} < 5 THEN 'not_found' ELSE 'ok' END,
             5,
             '10.0.' || (i % 250) || '.1',
             'run-' || (i / 5),
             '{}'
      FROM generate_series(1::bigint, ${rows}) AS i,
           LATERAL (SELECT tenant, tenant || '-p' || ${pick(5, 4)} AS project
                    FROM (SELECT CASE WHEN ${pick(4, TENANTS)} = 0 THEN 'bench'
                                      ELSE 'tenant-' || ${pick(4, TENANTS)} END AS tenant) AS n) AS t`);
    for (const index of indexes.rows) await db.query(index.definition);
    await db.query("ANALYZE audit_log");
  } finally {
    await db.end();
  }
}

function transportFor(server: RunningServer, token: string): Transport {
  const bearer: Interceptor = (next) => (req) => {
    req.header.set("authorization", `Bearer ${token}`);
    return next(req);
  };
  return createConnectTransport({
    baseUrl: server.url,
    httpVersion: "1.1",
    interceptors: [bearer],
    nodeOptions: { agent: new http.Agent({ keepAlive: true }) },
  });
}

/**
 * startSystem starts a server on a new database filled with `rows` audit rows; `cleanups` gets its
 * clean-up as soon as there is something to clean, so a failed start leaves no database behind.
 */
async function startSystem(rows: number, cleanups: (() => Promise<void>)[]): Promise<System> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "metal-bench-"));
  const database = `metal_bench_${crypto.randomBytes(4).toString("hex")}`;
  await adminQuery(`CREATE DATABASE ${database}`);
  let server: RunningServer | undefined;
  cleanups.push(async () => {
    await server?.close();
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/${database}`;
  server = await startServer(
    { ...defaultServerConfig(), listen: "127.0.0.1:0", dataDir, databaseUrl },
    { log: silentLogger, stdout: () => {} },
  );
  await ensureUser(server.ctx, { id: "bench", name: "bench", email: "bench@example.com" });
  await ensureUser(server.ctx, {
    id: "bench-ops",
    name: "ops",
    email: "ops@example.com",
    adminRole: AdminRole.VIEWER,
  });
  // The server refuses a filter naming a project that does not exist: the one the cases filter by does.
  const created = new Date(NOW).toISOString();
  const row = { description: "", generation: 1, labels: "{}", created_at: created, updated_at: created };
  await server.ctx.db.kysely
    .insertInto("tenants")
    .values({ ...row, id: "tenant-7", name: "tenant-7", email: "", personal: 0, created_by: "bench" })
    .execute();
  await server.ctx.db.kysely
    .insertInto("projects")
    .values({ ...row, id: "tenant-7-p1", tenant_id: "tenant-7", name: "p1" })
    .execute();
  await generate(databaseUrl, rows);
  const owner = (await server.ctx.tokens.issueUserSession("bench")).accessToken;
  const ops = (await server.ctx.tokens.issueUserSession("bench-ops")).accessToken;
  return {
    admin: createClient(AdminAuditService, transportFor(server, ops)),
    owner: createClient(AuditService, transportFor(server, owner)),
  };
}

const at = (msAgo: number) => timestampFromDate(new Date(NOW - msAgo));

/** CASES are the lists measured: what an operator or a tenant owner would ask for. */
const CASES: { name: string; list: (s: System) => Promise<number> }[] = [
  { name: "unfiltered, newest page", list: (s) => adminList(s, {}) },
  { name: "second page (page token)", list: (s) => adminList(s, {}, 2) },
  { name: "tenant owner: own tenant", list: (s) => ownerList(s, {}) },
  { name: "tenant owner: denied calls", list: (s) => ownerList(s, { codes: DENIED }) },
  { name: "user", list: (s) => adminList(s, { user: "user-42" }) },
  { name: "project", list: (s) => adminList(s, { project: "tenant-7-p1" }) },
  { name: "method", list: (s) => adminList(s, { method: "MachineService/Delete" }) },
  { name: "denied", list: (s) => adminList(s, { codes: DENIED }) },
  { name: "one rare code", list: (s) => adminList(s, { codes: ["not_found"] }) },
  { name: "request ID", list: (s) => adminList(s, { requestId: "run-200" }) },
  { name: "last hour", list: (s) => adminList(s, { from: at(3600_000) }) },
  {
    name: "one day, two weeks ago",
    list: (s) => adminList(s, { from: at(15 * DAY_MS), to: at(14 * DAY_MS) }),
  },
  {
    name: "method + denied + day",
    list: (s) =>
      adminList(s, {
        method: "MachineService/Create",
        codes: DENIED,
        from: at(15 * DAY_MS),
        to: at(14 * DAY_MS),
      }),
  },
];

async function adminList(s: System, query: Query, page = 1): Promise<number> {
  let pageToken = "";
  let res = await s.admin.list({ query, paging: { pageSize: PAGE } });
  for (let p = 1; p < page; p++) {
    pageToken = res.nextPageToken;
    res = await s.admin.list({ query, paging: { pageSize: PAGE, pageToken } });
  }
  return res.entries.length;
}

async function ownerList(s: System, query: Query): Promise<number> {
  const res = await s.owner.list({ tenant: "bench", query, paging: { pageSize: PAGE } });
  return res.entries.length;
}

async function timed(fn: () => Promise<number>): Promise<{ ms: number; n: number }> {
  const start = process.hrtime.bigint();
  const n = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, n };
}

if (!(await reachable(5432))) {
  console.log("audit-list: skipped, PostgreSQL is not reachable on 127.0.0.1:5432");
  process.exit(0);
}
const cleanups: (() => Promise<void>)[] = [];
const loadStart = process.hrtime.bigint();
try {
  const small = await startSystem(100_000, cleanups);
  const large = await startSystem(1_000_000, cleanups);
  const loadSeconds = Number(process.hrtime.bigint() - loadStart) / 1e9;
  console.log(
    `audit-list (postgres): one page of ${PAGE} entries over the API, median of ${RUNS} calls, ` +
      `1,000,000 vs 100,000 audit rows (loaded in ${loadSeconds.toFixed(0)} s)`,
  );
  console.log(
    `  ${"query".padEnd(28)} ${"100k rows".padStart(10)} ${"1M rows".padStart(10)}  ratio  entries`,
  );
  for (const c of CASES) {
    await c.list(small); // warm-up: connections, token and permission caches, plans
    await c.list(large);
    const a: number[] = [];
    const b: number[] = [];
    let counts = [0, 0];
    for (let i = 0; i < RUNS; i++) {
      const x = await timed(() => c.list(small));
      const y = await timed(() => c.list(large));
      a.push(x.ms);
      b.push(y.ms);
      counts = [x.n, y.n];
    }
    const [ms, ml] = [median(a), median(b)];
    console.log(
      `  ${c.name.padEnd(28)} ${`${ms.toFixed(2)} ms`.padStart(10)} ${`${ml.toFixed(2)} ms`.padStart(10)}  ` +
        `${(ml / ms).toFixed(2).padStart(5)}  ${counts[0]}/${counts[1]}`,
    );
  }
} finally {
  for (const cleanup of cleanups) await cleanup();
}
