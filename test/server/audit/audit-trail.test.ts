import type { DescService, MessageInitShape } from "@bufbuild/protobuf";
import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type Client, Code, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditService as AdminAuditService } from "../../../src/gen/metalstack/admin/v2/audit_pb.js";
import {
  type AuditEntry,
  type AuditQuerySchema,
  AuditService,
} from "../../../src/gen/metalstack/api/v2/audit_pb.js";
import { AdminRole, ProjectRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { MachineService } from "../../../src/gen/metalstack/api/v2/machine_pb.js";
import { ProjectService } from "../../../src/gen/metalstack/api/v2/project_pb.js";
import { TenantService } from "../../../src/gen/metalstack/api/v2/tenant_pb.js";
import { ensureUser } from "../../../src/server/tenancy/users.js";
import { startDialectServer } from "../../helpers/dialect-server.js";
import type { TestServer } from "../../helpers/start-server.js";
import { type Caller, operator, projectOwner } from "../catalog/callers.js";
import { eventually } from "../machine/fixture.js";
import { DIALECTS } from "../network/stores.js";
import { expectCode } from "../tenancy/expect-code.js";

const PROJECT_GET = "/metalstack.api.v2.ProjectService/Get";
const PROJECT_UPDATE = "/metalstack.api.v2.ProjectService/Update";
const MACHINE_CREATE = "/metalstack.api.v2.MachineService/Create";
const TENANT_GET = "/metalstack.api.v2.TenantService/Get";
const AUDIT = /AuditService/;

type Query = MessageInitShape<typeof AuditQuerySchema>;

/** clientWithHeaders builds a client of one service that sends the token and extra request headers. */
function clientWithHeaders<S extends DescService>(
  server: TestServer,
  service: S,
  token: string,
  headers: Record<string, string> = {},
): Client<S> {
  return createClient(
    service,
    createConnectTransport({
      baseUrl: server.url,
      httpVersion: "1.1",
      interceptors: [
        (next) => (req) => {
          req.header.set("authorization", `Bearer ${token}`);
          for (const [k, v] of Object.entries(headers)) req.header.set(k, v);
          return next(req);
        },
      ],
    }),
  );
}

describe.each(DIALECTS)("audit trail on %s", (dialect, run) => {
  let server: TestServer;
  let alice: Caller;
  let eve: Caller;
  let ops: Caller;
  let bobToken: string;
  /** Calls made in beforeAll on alice's tenant and its project, oldest first. */
  const made: { user: string; method: string; code: string }[] = [];

  const trail = (c: Caller) => c.client(AuditService);
  /** ownEntries lists alice's tenant trail without the audit reads themselves. */
  const ownEntries = async (query: Query = {}) =>
    (await trail(alice).list({ tenant: alice.userId, query })).entries.filter((e) => !AUDIT.test(e.method));

  beforeAll(async () => {
    if (!run) return;
    server = await startDialectServer(dialect);
    alice = await projectOwner(server, "aud-alice");
    eve = await projectOwner(server, "aud-eve");
    ops = await operator(server, "aud-ops", AdminRole.VIEWER);
    await ensureUser(server.ctx, { id: "aud-bob", name: "bob", email: "aud-bob@example.com" });
    await server.ctx.db.kysely
      .insertInto("project_members")
      .values({
        project_id: alice.project,
        user_id: "aud-bob",
        role: ProjectRole.VIEWER,
        created_at: new Date().toISOString(),
      })
      .execute();
    bobToken = (await server.ctx.tokens.issueUserSession("aud-bob")).accessToken;
    const bobRun = { "x-request-id": "bob-run-1" };
    await clientWithHeaders(server, ProjectService, bobToken, bobRun).get({ project: alice.project });
    made.push({ user: "aud-bob", method: PROJECT_GET, code: "ok" });
    await clientWithHeaders(server, ProjectService, bobToken, bobRun)
      .update({ project: alice.project, description: "bob was here" })
      .catch(() => undefined);
    made.push({ user: "aud-bob", method: PROJECT_UPDATE, code: "permission_denied" });
    await clientWithHeaders(server, MachineService, bobToken)
      .create({ project: alice.project, name: "m", userdata: "#cloud-config\npassword: hunter2" })
      .catch(() => undefined);
    made.push({ user: "aud-bob", method: MACHINE_CREATE, code: "permission_denied" });
    await eve
      .client(ProjectService)
      .get({ project: alice.project })
      .catch(() => undefined);
    made.push({ user: "aud-eve", method: PROJECT_GET, code: "permission_denied" });
    await eve.client(ProjectService).get({ project: eve.project });
    await alice.client(TenantService).get({ tenant: alice.userId });
    made.push({ user: "aud-alice", method: TENANT_GET, code: "ok" });
    await eventually(
      async () => ((await ownEntries()).length >= made.length ? true : undefined),
      "the audit rows of the calls",
    );
  });
  afterAll(async () => {
    await server?.close();
  });

  it.runIf(run)(
    "shows a tenant owner the calls on the tenant and its projects, denials included, newest first",
    async () => {
      const entries = await ownEntries();
      expect(entries.map((e) => ({ user: e.user, method: e.method, code: e.code }))).toEqual(
        [...made].reverse(),
      );
      for (const e of entries) {
        expect(e.tenant).toBe(alice.userId);
        expect(e.request).toBe("");
      }
      expect(entries.filter((e) => e.method !== TENANT_GET).map((e) => e.project)).toEqual(
        Array(4).fill(alice.project),
      );
      const times = entries.map((e) => timestampDate(e.time!).getTime());
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect(entries.some((e) => e.project === eve.project)).toBe(false);
    },
  );

  it.runIf(run)("records reading the trail as an audited call of its own", async () => {
    await trail(alice).list({ tenant: alice.userId });
    const reads = await eventually(async () => {
      const { entries } = await trail(alice).list({
        tenant: alice.userId,
        query: { method: "AuditService/List" },
      });
      return entries.length > 0 ? entries : undefined;
    }, "an audit read in the trail");
    expect(reads[0]).toMatchObject({ user: alice.userId, method: "/metalstack.api.v2.AuditService/List" });
  });

  it.runIf(run)("filters by user, project, method, result code, request ID and time", async () => {
    const methodsOf = (entries: AuditEntry[]) => entries.map((e) => e.method);
    expect(methodsOf(await ownEntries({ user: "aud-eve" }))).toEqual([PROJECT_GET]);
    expect((await ownEntries({ project: alice.project })).length).toBe(4);
    // Another tenant's project is not a filter of this trail: NotFound naming it, not an empty list.
    await expect(ownEntries({ project: eve.project })).rejects.toMatchObject({
      code: Code.NotFound,
      rawMessage: `query.project: project "${eve.project}" not found in tenant "${alice.userId}"; name a project you can use (metalctl project list)`,
    });
    for (const method of [PROJECT_GET, "ProjectService/Get", "projectservice/get"]) {
      expect(methodsOf(await ownEntries({ method })), method).toEqual([PROJECT_GET, PROJECT_GET]);
    }
    expect(methodsOf(await ownEntries({ method: "ProjectService" }))).toEqual([
      PROJECT_GET,
      PROJECT_UPDATE,
      PROJECT_GET,
    ]);
    expect(methodsOf(await ownEntries({ codes: ["permission_denied"] }))).toEqual([
      PROJECT_GET,
      MACHINE_CREATE,
      PROJECT_UPDATE,
    ]);
    expect(methodsOf(await ownEntries({ codes: ["ok", "unauthenticated"] }))).toEqual([
      TENANT_GET,
      PROJECT_GET,
    ]);
    const run1 = await ownEntries({ requestId: "bob-run-1" });
    expect(methodsOf(run1)).toEqual([PROJECT_UPDATE, PROJECT_GET]);
    expect(run1.every((e) => e.requestId === "bob-run-1")).toBe(true);
    expect(methodsOf(await ownEntries({ user: "aud-bob", codes: ["ok"], method: "ProjectService" }))).toEqual(
      [PROJECT_GET],
    );
    const all = await ownEntries();
    const middle = all[2]!;
    const at = timestampDate(middle.time!);
    const from = await ownEntries({ from: middle.time });
    expect(from.every((e) => timestampDate(e.time!) >= at)).toBe(true);
    expect(from.map((e) => e.id)).toContain(middle.id);
    const before = await ownEntries({ to: middle.time });
    expect(before.every((e) => timestampDate(e.time!) < at)).toBe(true);
    expect(before.length + from.length).toBe(all.length);
    const later = timestampFromDate(new Date(Date.now() + 60_000));
    expect(await ownEntries({ from: later })).toEqual([]);
  });

  it.runIf(run)("pages newest first without repeats and refuses a token of another list", async () => {
    const admin = ops.client(AdminAuditService);
    // Everything up to the last call of beforeAll is stored (rows are written in the order recorded);
    // the bound keeps the rows of later calls, the list calls while paging among them, out of the pages.
    const [newest] = await ownEntries({ method: TENANT_GET });
    const query = { to: timestampFromDate(new Date(timestampDate(newest!.time!).getTime() + 1)) };
    const { entries: whole } = await admin.list({ query });
    expect(whole.length).toBeGreaterThan(made.length);
    const paged: string[] = [];
    let pageToken = "";
    let pages = 0;
    do {
      const page = await admin.list({ query, paging: { pageSize: 2, pageToken } });
      expect(page.entries.length).toBeLessThanOrEqual(2);
      paged.push(...page.entries.map((e) => e.id));
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken && pages < 100);
    expect(paged).toEqual(whole.map((e) => e.id));
    const foreign = Buffer.from(JSON.stringify(["n1", "10.0.0.1"]), "utf8").toString("base64url");
    await expectCode(
      admin.list({ paging: { pageToken: foreign } }),
      Code.InvalidArgument,
      /paging\.page_token: not a token from a previous audit list/,
    );
  });

  it.runIf(run)(
    "gets one entry with its request, secrets redacted; another tenant's is not found",
    async () => {
      const [create] = await ownEntries({ method: MACHINE_CREATE });
      const { entry } = await trail(alice).get({ tenant: alice.userId, id: create!.id });
      expect(entry?.method).toBe(MACHINE_CREATE);
      expect(JSON.parse(entry!.request)).toMatchObject({ project: alice.project, userdata: "[redacted]" });
      expect(entry!.request).not.toContain("hunter2");
      const { entries: evesOwn } = await ops
        .client(AdminAuditService)
        .list({ query: { user: "aud-eve", project: eve.project } });
      expect(evesOwn).toHaveLength(1);
      await expectCode(
        trail(alice).get({ tenant: alice.userId, id: evesOwn[0]!.id }),
        Code.NotFound,
        /not found in tenant aud-alice/,
      );
      const viaAdmin = await ops.client(AdminAuditService).get({ id: evesOwn[0]!.id });
      expect(viaAdmin.entry?.tenant).toBe(eve.userId);
    },
  );

  it.runIf(run)("lets only the tenant's owners and operators read its trail", async () => {
    const bobTrail = clientWithHeaders(server, AuditService, bobToken);
    await expectCode(bobTrail.list({ tenant: alice.userId }), Code.PermissionDenied);
    await expectCode(trail(eve).list({ tenant: alice.userId }), Code.PermissionDenied);
    await expectCode(trail(alice).list({ tenant: eve.userId }), Code.PermissionDenied);
    await expectCode(eve.client(AdminAuditService).list({}), Code.PermissionDenied);
    const { entries } = await ops.client(AdminAuditService).list({ tenant: alice.userId });
    expect(entries.filter((e) => !AUDIT.test(e.method)).map((e) => e.user)).toEqual(
      [...made].reverse().map((m) => m.user),
    );
  });

  it.runIf(run)("streams new entries as they are recorded, and replays from query.from", async () => {
    const abort = new AbortController();
    const received: AuditEntry[] = [];
    const started = new Date(Date.now() - 1);
    const watching = (async () => {
      for await (const res of trail(alice).watch(
        { tenant: alice.userId, query: { method: PROJECT_GET } },
        { signal: abort.signal },
      )) {
        received.push(res.entry!);
      }
    })().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    await clientWithHeaders(server, ProjectService, bobToken).get({ project: alice.project });
    await eve
      .client(ProjectService)
      .get({ project: eve.project })
      .catch(() => undefined);
    await eventually(async () => (received.length > 0 ? true : undefined), "the watched entry");
    abort.abort();
    await watching;
    expect(received.map((e) => [e.user, e.method])).toEqual([["aud-bob", PROJECT_GET]]);
    expect(timestampDate(received[0]!.time!) >= started).toBe(true);

    const replayed: AuditEntry[] = [];
    const first = (await ownEntries()).at(-1)!;
    for await (const res of ops.client(AdminAuditService).watch({
      tenant: alice.userId,
      query: { from: first.time, codes: ["permission_denied"] },
    })) {
      replayed.push(res.entry!);
      if (replayed.length === 3) break;
    }
    expect(replayed.map((e) => e.method)).toEqual([PROJECT_UPDATE, MACHINE_CREATE, PROJECT_GET]);
  });

  it.runIf(run)("refuses bad queries and request IDs, naming the field", async () => {
    const list = (query: Query) => trail(alice).list({ tenant: alice.userId, query });
    await expectCode(
      list({ codes: ["denied"] }),
      Code.InvalidArgument,
      /query\.codes: unknown result code "denied"/,
    );
    await expectCode(
      list({ method: "NoSuchService/Get" }),
      Code.InvalidArgument,
      /query\.method: .* names no method/,
    );
    const now = timestampFromDate(new Date());
    await expectCode(list({ from: now, to: now }), Code.InvalidArgument, /query\.to: must be later/);
    await expectCode(list({ user: "u".repeat(200) }), Code.InvalidArgument, /query\.user: at most 128/);
    const watch = trail(alice).watch({ tenant: alice.userId, query: { to: now } });
    await expectCode(
      (async () => {
        for await (const _ of watch) break;
      })(),
      Code.InvalidArgument,
      /query\.to: a watch has no end/,
    );
    await expectCode(
      clientWithHeaders(server, ProjectService, bobToken, { "x-request-id": "bad id with spaces" }).get({
        project: alice.project,
      }),
      Code.InvalidArgument,
      /x-request-id header/,
    );
  });

  it.runIf(run)("echoes the request ID the client sent, or the one it made", async () => {
    let echoed: string | null = null;
    await clientWithHeaders(server, ProjectService, bobToken, { "x-request-id": "echo-me" }).get(
      { project: alice.project },
      {
        onHeader: (h) => {
          echoed = h.get("x-request-id");
        },
      },
    );
    expect(echoed).toBe("echo-me");
    const denied = await expectCode(
      clientWithHeaders(server, ProjectService, bobToken).update({ project: alice.project }),
      Code.PermissionDenied,
    );
    const made = denied.metadata.get("x-request-id");
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
    const entry = await eventually(async () => {
      const { entries } = await trail(alice).list({ tenant: alice.userId, query: { requestId: made! } });
      return entries[0];
    }, "the entry of the denied call");
    expect(entry.id).toBe(made);
  });
});
