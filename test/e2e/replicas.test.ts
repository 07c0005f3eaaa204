import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProjectRole } from "../../src/gen/metalstack/api/v2/common_pb.js";
import { MachineProvisioningEventType as Ev } from "../../src/gen/metalstack/api/v2/machine_pb.js";
import { MethodService } from "../../src/gen/metalstack/api/v2/method_pb.js";
import { ProjectService } from "../../src/gen/metalstack/api/v2/project_pb.js";
import { TokenService } from "../../src/gen/metalstack/api/v2/token_pb.js";
import { UserService } from "../../src/gen/metalstack/api/v2/user_pb.js";
import { createLocalUser } from "../../src/idp/local-users.js";
import { idpDeps } from "../../src/server/oauth/runtime.js";
import { createProject, removeProjectMember } from "../../src/server/tenancy/projects.js";
import { ensureUser } from "../../src/server/tenancy/users.js";
import { postgresAvailable, redisAvailable } from "../helpers/components.js";
import { createPostgresDatabase, REDIS_TEST_URL, type TestDatabase } from "../helpers/databases.js";
import { deleteRedisPrefix } from "../helpers/redis.js";
import { type RoundRobin, startRoundRobin } from "../helpers/round-robin.js";
import { type ServerProcess, startServerProcess } from "../helpers/server-process.js";
import { startTestServer, type TestServer } from "../helpers/start-server.js";
import {
  addProjectViewer,
  allocateDrivenMachine,
  clientsForUser,
  clientsWithToken,
  createTestProject,
  IMAGE,
  PARTITION,
  SIZES,
  seedTestCatalog,
  startTestPool,
} from "../server/machine/fixture.js";
import { watchEvents } from "../server/machine/watch-events.js";
import { authorizeUrl, exchangeCode, newPkce } from "../server/oauth/cli-side.js";
import { HttpBrowser } from "../server/oauth/http-browser.js";

// Both components are required: skipped with a notice on a laptop without them, a failure in CI.
const ready = (await postgresAvailable()) && (await redisAvailable());

const PASSWORD = "Replica-Pass-42";
/** Both replicas share one key prefix, of this test run only. */
const PREFIX = `metal-replicas-${crypto.randomBytes(6).toString("hex")}:`;
const LOOPBACK = "http://127.0.0.1:49153/callback";

function bearer(token: string): Interceptor {
  return (next) => (req) => {
    req.header.set("authorization", `Bearer ${token}`);
    return next(req);
  };
}

function clients(server: { url: string }, token?: string) {
  const transport = createConnectTransport({
    baseUrl: server.url,
    httpVersion: "1.1",
    interceptors: token ? [bearer(token)] : [],
  });
  return {
    user: createClient(UserService, transport),
    token: createClient(TokenService, transport),
    method: createClient(MethodService, transport),
  };
}

async function codeOf(call: Promise<unknown>): Promise<Code | "ok"> {
  try {
    await call;
    return "ok";
  } catch (err) {
    return ConnectError.from(err).code;
  }
}

async function refreshAt(server: TestServer, refreshToken: string): Promise<Response> {
  return fetch(`${server.url}/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: refreshToken,
      client_id: "metalctl",
    }),
  });
}

describe.runIf(ready)("two replicas on one PostgreSQL database and one Redis", { timeout: 120_000 }, () => {
  let database: TestDatabase;
  let lb: RoundRobin;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    // Replicas behind one load balancer share its URL as their public URL (the tokens' issuer).
    lb = await startRoundRobin();
    const config = {
      databaseUrl: database.url,
      redisUrl: REDIS_TEST_URL,
      redisKeyPrefix: PREFIX,
      publicUrl: lb.url,
    };
    // Started at once, as an orchestrator would: migrations and the first signing key must not race.
    [a, b] = await Promise.all([
      startTestServer(config, { stdout: () => {} }),
      startTestServer(config, { stdout: () => {} }),
    ]);
    lb.upstreams = [a.url, b.url];
  });
  afterAll(async () => {
    if (a?.ctx.redis) await deleteRedisPrefix(a.ctx.redis, PREFIX);
    await lb?.close();
    await Promise.all([a?.close(), b?.close()]);
    await database?.drop();
  });

  it("runs both replicas on the shared stores", () => {
    expect(a.ctx.db.dialect).toBe("postgres");
    expect(b.ctx.redis).toBeDefined();
    expect(a.url).not.toBe(b.url);
  });

  it("accepts a login token issued by one replica on the other, both ways", async () => {
    await ensureUser(a.ctx, { id: "dave", name: "Dave", email: "dave@example.com" });
    const fromA = await a.ctx.tokens.issueUserSession("dave");
    const fromB = await b.ctx.tokens.issueUserSession("dave");
    expect((await clients(b, fromA.accessToken).user.get({})).user?.id).toBe("dave");
    expect((await clients(a, fromB.accessToken).user.get({})).user?.id).toBe("dave");
    // The grants live in Redis, not in the database.
    const jti = (
      JSON.parse(Buffer.from(fromA.accessToken.split(".")[1] ?? "", "base64url").toString()) as {
        jti: string;
      }
    ).jti;
    expect(await a.ctx.redis?.exists(`${PREFIX}token:${jti}`)).toBe(1);
    const rows = await a.ctx.db.kysely.selectFrom("tokens").select("id").where("id", "=", jti).execute();
    expect(rows).toEqual([]);
  });

  it("refuses on one replica an API token revoked through the other, on the very next request", async () => {
    await ensureUser(a.ctx, { id: "erin", name: "Erin", email: "erin@example.com" });
    const session = await a.ctx.tokens.issueUserSession("erin");
    const created = await clients(a, session.accessToken).token.create({
      description: "ci on replica a",
      permissions: [{ subject: "*", methods: ["/metalstack.api.v2.TokenService/List"] }],
      expires: timestampFromDate(new Date(Date.now() + 3_600_000)),
    });
    const apiToken = created.secret;
    const onB = clients(b, apiToken);
    expect(await codeOf(onB.token.list({}))).toBe("ok");
    await clients(a, session.accessToken).token.revoke({ uuid: created.token?.uuid ?? "" });
    expect(await codeOf(onB.token.list({}))).toBe(Code.Unauthenticated);
    expect(await codeOf(clients(a, apiToken).token.list({}))).toBe(Code.Unauthenticated);
  });

  it("drops a removed member's permissions on the other replica at once, not when its cache expires", async () => {
    await ensureUser(a.ctx, { id: "olga", name: "Olga", email: "olga@example.com" });
    await ensureUser(a.ctx, { id: "pete", name: "Pete", email: "pete@example.com" });
    const project = await createProject(a.ctx, "olga", "olga", {
      name: "shared",
      description: "",
      labels: {},
    });
    await a.ctx.db.kysely
      .insertInto("project_members")
      .values({
        project_id: project.id,
        user_id: "pete",
        role: ProjectRole.EDITOR,
        created_at: new Date().toISOString(),
      })
      .execute();
    const pete = await a.ctx.tokens.issueUserSession("pete");
    const onB = createClient(
      ProjectService,
      createConnectTransport({
        baseUrl: b.url,
        httpVersion: "1.1",
        interceptors: [bearer(pete.accessToken)],
      }),
    );
    // Reading once fills replica b's permission cache with pete's editor role.
    expect((await onB.get({ project: project.id })).project?.id).toBe(project.id);
    const relayed = new Promise<void>((resolve) => {
      const stop = b.ctx.accessChanges.subscribe((change, fromOtherReplica) => {
        if (change.kind !== "membership" || change.userId !== "pete" || !fromOtherReplica) return;
        stop();
        resolve();
      });
    });
    await removeProjectMember(a.ctx, project.id, "pete", false);
    await relayed;
    expect(await codeOf(onB.get({ project: project.id }))).toBe(Code.PermissionDenied);
  });

  it("continues a login session on the other replica and catches refresh-token reuse across replicas", async () => {
    await ensureUser(a.ctx, { id: "frank", name: "Frank", email: "frank@example.com" });
    const session = await a.ctx.tokens.issueUserSession("frank", { client: "metalctl" });
    const rotated = await refreshAt(b, session.refreshToken);
    expect(rotated.status).toBe(200);
    const next = (await rotated.json()) as { access_token: string; refresh_token: string };
    expect((await clients(a, next.access_token).user.get({})).user?.id).toBe("frank");
    // Reusing the rotated-away refresh token on replica a revokes the whole session everywhere.
    const reuse = await refreshAt(a, session.refreshToken);
    expect(reuse.status).toBe(400);
    expect(await codeOf(clients(b, next.access_token).user.get({}))).toBe(Code.Unauthenticated);
  });

  it("completes a browser login whose requests alternate between the replicas", async () => {
    await createLocalUser(idpDeps(a.ctx), {
      id: "heidi",
      displayName: "Heidi",
      email: "heidi@example.com",
      roles: [],
      password: PASSWORD,
      mustChangePassword: false,
    });
    const before = [...lb.served];
    const browser = new HttpBrowser();
    const pkce = newPkce();
    const page = await browser.follow(
      authorizeUrl(lb.url, {
        redirectUri: LOOPBACK,
        state: "replica-state",
        challenge: pkce.challenge,
        method: "S256",
      }),
    );
    expect(page.res.status).toBe(200);
    const { url } = await browser.submitLogin(
      page.url,
      await page.res.text(),
      { username: "heidi", password: PASSWORD },
      LOOPBACK,
    );
    expect(url.startsWith(LOOPBACK)).toBe(true);
    const callback = new URL(url);
    expect(callback.searchParams.get("state")).toBe("replica-state");
    const exchanged = await exchangeCode(
      lb.url,
      callback.searchParams.get("code") ?? "",
      pkce.verifier,
      LOOPBACK,
    );
    expect(exchanged.status).toBe(200);
    const accessToken = String(exchanged.body.access_token);
    expect((await clients(a, accessToken).user.get({})).user?.id).toContain("heidi");
    expect((await clients(b, accessToken).user.get({})).user?.id).toContain("heidi");
    // Both replicas really took part in the login.
    expect((lb.served[0] ?? 0) - (before[0] ?? 0)).toBeGreaterThan(0);
    expect((lb.served[1] ?? 0) - (before[1] ?? 0)).toBeGreaterThan(0);
  });

  it("keeps machine allocations unique when both replicas allocate at once", async () => {
    const FREE = 3;
    const CALLERS = 8;
    await seedTestCatalog(a.ctx);
    const project = await createTestProject(a.ctx, "grace");
    const pool = await startTestPool(a, {
      count: FREE,
      racks: ["r1", "r2"],
      prefix: "replicas",
      sizes: [SIZES[0] ?? ""],
    });
    try {
      const onA = await clientsForUser(a, "grace");
      const onB = await clientsForUser(b, "grace");
      const results = await Promise.allSettled(
        Array.from({ length: CALLERS }, (_, i) =>
          (i % 2 ? onA : onB).machine.create({
            project: project.projectId,
            name: `replica-${i}`,
            partition: PARTITION,
            size: SIZES[0] ?? "",
            image: IMAGE,
            networks: [{ network: project.networkId }],
          }),
        ),
      );
      const won = results.flatMap((r) =>
        r.status === "fulfilled" && r.value.machine ? [r.value.machine] : [],
      );
      const lost = results.flatMap((r) => (r.status === "rejected" ? [ConnectError.from(r.reason)] : []));
      expect(won).toHaveLength(FREE);
      expect(new Set(won.map((m) => m.uuid)).size).toBe(FREE);
      expect(new Set(won.flatMap((m) => m.allocation?.networks.flatMap((n) => n.ips) ?? [])).size).toBe(FREE);
      expect(lost.map((e) => e.code)).toEqual(Array(CALLERS - FREE).fill(Code.ResourceExhausted));
    } finally {
      await pool.stop();
    }
  });

  it("ends a watch on one replica when access is taken away on the other, without an event to send", async () => {
    const seeded = await a.ctx.db.kysely
      .selectFrom("partitions")
      .select("id")
      .where("id", "=", PARTITION)
      .executeTakeFirst();
    if (!seeded) await seedTestCatalog(a.ctx);
    const owner = await createTestProject(a.ctx, "quinn");
    const machine = await allocateDrivenMachine(a, owner, "replica-watch");
    for (const viewer of ["rosa", "sam"]) await addProjectViewer(a.ctx, owner.projectId, viewer);
    const rosa = watchEvents((await clientsForUser(b, "rosa")).machine, owner.projectId, machine.uuid);
    const samTokens = clients(a, (await a.ctx.tokens.issueUserSession("sam")).accessToken).token;
    const samWatch = await samTokens.create({
      description: "watcher",
      projectRoles: { [owner.projectId]: ProjectRole.VIEWER },
      expires: timestampFromDate(new Date(Date.now() + 3_600_000)),
    });
    const sam = watchEvents(clientsWithToken(b, samWatch.secret).machine, owner.projectId, machine.uuid);
    await machine.report(Ev.INSTALLING);
    await Promise.all([rosa.saw(Ev.INSTALLING), sam.saw(Ev.INSTALLING)]);
    await (await clientsForUser(a, "quinn")).project.memberRemove({ project: owner.projectId, user: "rosa" });
    await samTokens.revoke({ uuid: samWatch.token?.uuid ?? "" });
    expect((await rosa.ended)?.code).toBe(Code.PermissionDenied);
    expect((await sam.ended)?.code).toBe(Code.Unauthenticated);
  });

  it("runs the same way as separate server processes started from a config file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "metal-replicas-"));
    const file = path.join(dir, "apiserver.yaml");
    fs.writeFileSync(
      file,
      [
        "listen: 127.0.0.1:0",
        `data-dir: ${dir}`,
        `database-url: ${database.url}`,
        `redis-url: ${REDIS_TEST_URL}`,
        `redis-key-prefix: "${PREFIX}"`,
        `public-url: ${lb.url}`,
      ].join("\n"),
    );
    const processes = await Promise.all([
      startServerProcess(["--config", file]),
      startServerProcess(["--config", file]),
    ]);
    try {
      const [p1, p2] = processes as [ServerProcess, ServerProcess];
      await ensureUser(a.ctx, { id: "ivan", name: "Ivan", email: "ivan@example.com" });
      const session = await a.ctx.tokens.issueUserSession("ivan");
      const created = await clients(p1, session.accessToken).token.create({
        description: "made on process 1",
        permissions: [{ subject: "*", methods: ["/metalstack.api.v2.TokenService/List"] }],
        expires: timestampFromDate(new Date(Date.now() + 3_600_000)),
      });
      expect(await codeOf(clients(p2, created.secret).token.list({}))).toBe("ok");
      await clients(p2, session.accessToken).token.revoke({ uuid: created.token?.uuid ?? "" });
      expect(await codeOf(clients(p1, created.secret).token.list({}))).toBe(Code.Unauthenticated);
      expect(await codeOf(clients(b, created.secret).token.list({}))).toBe(Code.Unauthenticated);
    } finally {
      const codes = await Promise.all(processes.map((p) => p.stop()));
      fs.rmSync(dir, { recursive: true, force: true });
      expect(codes).toEqual([0, 0]);
    }
  });

  it("reports both replicas ready with database and Redis", async () => {
    for (const server of [a, b]) {
      const res = await fetch(`${server.url}/readyz`);
      expect(await res.json()).toEqual({ status: "ready", checks: { database: "ok", redis: "ok" } });
    }
  });
});
