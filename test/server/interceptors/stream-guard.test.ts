import http from "node:http";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { create, type DescMethod } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, type Interceptor } from "@connectrpc/connect";
import { connectNodeAdapter, createConnectTransport } from "@connectrpc/connect-node";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminRole, ProjectRole, Scope, TenantRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { TokenService } from "../../../src/gen/metalstack/api/v2/token_pb.js";
import { requestContextValues, trustedProxiesOf } from "../../../src/server/auth/client-address.js";
import { buildPermissionTable, type MethodRule } from "../../../src/server/authz/permission-table.js";
import { type AppContext, membershipChanged } from "../../../src/server/context.js";
import { createInterceptors } from "../../../src/server/interceptors/index.js";
import { servedServiceDescriptors } from "../../../src/server/services/index.js";
import { deleteProject } from "../../../src/server/tenancy/projects.js";
import { deleteTenant } from "../../../src/server/tenancy/tenants.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import { addProject, addTenant, addUser, bearer, setProjectRole, setTenantRole } from "../authz/fixtures.js";

/** Every response-streaming method the server serves that needs a caller: the guard must cover each. */
const STREAMING = [...buildPermissionTable(servedServiceDescriptors).rules.values()].filter(
  (r) =>
    r.scope !== Scope.PUBLIC &&
    (r.method.methodKind === "server_streaming" || r.method.methodKind === "bidi_streaming"),
);

/** Served is one HTTP server in front of the interceptors under test. */
interface Served {
  url: string;
  close: () => Promise<void>;
}

/** Gate lets a test hand the stream handler one message to send at a time. */
class Gate {
  private permits = 0;
  private waiters: (() => void)[] = [];
  release(): void {
    this.permits++;
    this.waiters.shift()?.();
  }
  async take(signal: AbortSignal): Promise<void> {
    while (this.permits === 0) {
      signal.throwIfAborted();
      await new Promise<void>((resolve) => {
        const done = () => {
          signal.removeEventListener("abort", done);
          resolve();
        };
        this.waiters.push(done);
        signal.addEventListener("abort", done);
      });
    }
    this.permits--;
  }
}

/** OpenStream is one call of a streaming method: what arrived, and how it ended. */
interface OpenStream {
  received: number;
  /** Resolves once the first message arrived (or the stream ended before one). */
  started: Promise<void>;
  /** Resolves with the error the stream ended with, undefined when it ended cleanly. */
  ended: Promise<ConnectError | undefined>;
  gate: Gate;
}

describe.each(
  STREAMING.map((r) => [r.procedure, r] as const),
)("%s ends when access is taken away", (_procedure, rule) => {
  let server: TestServer;
  let guarded: Served;
  let stricter: Served;
  // Bidi calls need HTTP/2 (Connect refuses them over HTTP/1.1 with 505).
  const bidi = rule.method.methodKind === "bidi_streaming";
  const gates = new Map<string, Gate>();
  let streams = 0;
  let n = 0;

  /** serve answers every streaming method with one message now and one more per gate release, behind the real interceptors. */
  const serve = async (ctx: AppContext) => {
    const handler = connectNodeAdapter({
      routes: (router) => {
        for (const r of STREAMING) {
          router.rpc(r.method as DescMethod & { methodKind: "server_streaming" }, async function* (_req, hc) {
            const gate = gates.get(hc.requestHeader.get("x-stream") ?? "") ?? new Gate();
            yield create(r.method.output);
            for (;;) {
              await gate.take(hc.signal);
              yield create(r.method.output);
            }
          });
        }
      },
      interceptors: createInterceptors(ctx),
      contextValues: requestContextValues(trustedProxiesOf(ctx.config)),
    });
    const s = bidi ? http2.createServer(handler) : http.createServer(handler);
    const sessions = new Set<http2.ServerHttp2Session>();
    s.on("session", (session: http2.ServerHttp2Session) => {
      sessions.add(session);
      session.on("close", () => sessions.delete(session));
    });
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    return {
      url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
      close: async () => {
        if (s instanceof http.Server) s.closeAllConnections();
        for (const session of sessions) session.destroy();
        await new Promise((r) => s.close(r));
      },
    };
  };

  const open = (token: string, subject: string, via = guarded): OpenStream => {
    const id = `s${++streams}`;
    const gate = new Gate();
    gates.set(id, gate);
    const tag: Interceptor = (next) => (req) => {
      req.header.set("x-stream", id);
      return next(req);
    };
    const client = createClient(
      rule.method.parent,
      createConnectTransport({
        baseUrl: via.url,
        httpVersion: bidi ? "2" : "1.1",
        interceptors: [bearer(token), tag],
      }),
    ) as unknown as Record<string, (req: object | AsyncIterable<object>) => AsyncIterable<unknown>>;
    const message = rule.subjectField ? { [rule.subjectField]: subject } : {};
    // A bidi method takes a stream of requests: one message, as a half-duplex call over HTTP/1.1.
    const request = bidi
      ? (async function* () {
          yield message;
        })()
      : message;
    const stream: OpenStream = {
      received: 0,
      started: Promise.resolve(),
      ended: Promise.resolve(undefined),
      gate,
    };
    let start!: () => void;
    stream.started = new Promise<void>((r) => {
      start = r;
    });
    stream.ended = (async () => {
      try {
        for await (const _ of client[rule.method.localName]!(request)) {
          stream.received++;
          start();
        }
        return undefined;
      } catch (err) {
        return ConnectError.from(err);
      } finally {
        start();
      }
    })();
    return stream;
  };

  /** Caller is a user who may call the method on its own fresh subject, with a login token. */
  interface Caller {
    user: string;
    subject: string;
    token: string;
  }
  /** caller makes a user with the weakest access the method allows (or `role` instead) on a fresh subject. */
  const caller = async (role?: number): Promise<Caller> => {
    const user = `u${++n}`;
    const tenant = `t${n}`;
    const project = `p${n}`;
    await addUser(
      server.ctx,
      user,
      rule.scope === Scope.ADMIN || rule.scope === Scope.INFRA ? AdminRole.EDITOR : 0,
    );
    await addTenant(server.ctx, tenant);
    await addProject(server.ctx, project, tenant);
    if (rule.scope === Scope.PROJECT)
      await setProjectRole(server.ctx, user, project, role ?? rule.minProjectRole);
    if (rule.scope === Scope.TENANT)
      await setTenantRole(server.ctx, user, tenant, role ?? rule.minTenantRole);
    const token = (await server.ctx.tokens.issueUserSession(user)).accessToken;
    return { user, subject: rule.scope === Scope.TENANT ? tenant : project, token };
  };
  /** subjectOf is what an API token grant of the method names: the caller's subject, or every subject. */
  const subjectOf = (c: Caller) => (rule.subjectField ? c.subject : "*");
  /** takeAccess removes the caller's membership (or admin role) as an operator would, telling the caches. */
  const takeAccess = async (c: Caller) => {
    const k = server.ctx.db.kysely;
    if (rule.scope === Scope.PROJECT)
      await k.deleteFrom("project_members").where("user_id", "=", c.user).execute();
    if (rule.scope === Scope.TENANT)
      await k.deleteFrom("tenant_members").where("user_id", "=", c.user).execute();
    if (rule.scope === Scope.ADMIN || rule.scope === Scope.INFRA) {
      await k.updateTable("users").set({ admin_role: 0 }).where("id", "=", c.user).execute();
    }
    membershipChanged(server.ctx, c.user);
  };
  const tokens = (token: string) =>
    createClient(
      TokenService,
      createConnectTransport({ baseUrl: server.url, httpVersion: "1.1", interceptors: [bearer(token)] }),
    );

  beforeAll(async () => {
    server = await startTestServer();
    guarded = await serve(server.ctx);
    // The same method, as if it needed the strongest role: a downgrade to the weakest must end it.
    const strict: MethodRule = {
      ...rule,
      minProjectRole: rule.scope === Scope.PROJECT ? ProjectRole.OWNER : rule.minProjectRole,
      minTenantRole: rule.scope === Scope.TENANT ? TenantRole.OWNER : rule.minTenantRole,
      minAdminRole: rule.scope === Scope.ADMIN ? AdminRole.EDITOR : rule.minAdminRole,
    };
    const rules = new Map(server.ctx.permissions.rules).set(rule.procedure, strict);
    stricter = await serve({ ...server.ctx, permissions: { ...server.ctx.permissions, rules } });
  });
  afterAll(async () => {
    await Promise.all([guarded?.close(), stricter?.close()]);
    await server?.close();
  });

  it("ends at once with Unauthenticated when its token is revoked, sending nothing more", async () => {
    const c = await caller();
    const s = open(c.token, c.subject);
    await s.started;
    await tokens(c.token).revoke({ uuid: decodeJwt(c.token).jti ?? "" });
    expect((await s.ended)?.code).toBe(Code.Unauthenticated);
    expect(s.received).toBe(1);
  });

  it("refuses the next message when a revocation reached no listener (another replica, no relay)", async () => {
    const c = await caller();
    const s = open(c.token, c.subject);
    await s.started;
    // Straight into the store, as another replica would write it, with no notification at all.
    await server.ctx.tokens.store.revoke({ id: decodeJwt(c.token).jti ?? "" }, new Date());
    s.gate.release();
    expect((await s.ended)?.code).toBe(Code.Unauthenticated);
    expect(s.received).toBe(1);
  });

  it("ends with Unauthenticated when a token it was created from is revoked", async () => {
    const c = await caller();
    const asUser = tokens(c.token);
    const grants = {
      permissions: [
        { subject: subjectOf(c), methods: [rule.procedure] },
        { subject: "*", methods: ["/metalstack.api.v2.TokenService/Create"] },
      ],
      expires: timestampFromDate(new Date(Date.now() + 3_600_000)),
    };
    const parent = await asUser.create(grants);
    const child = await tokens(parent.secret).create({
      ...grants,
      expires: timestampFromDate(new Date(Date.now() + 1_800_000)),
    });
    const s = open(child.secret, c.subject);
    await s.started;
    await asUser.revoke({ uuid: parent.token?.uuid ?? "" });
    expect((await s.ended)?.code).toBe(Code.Unauthenticated);
    expect(s.received).toBe(1);
  });

  it("ends with Unauthenticated when its token expires, without a message to send", async () => {
    const c = await caller();
    const short = await tokens(c.token).create({
      permissions: [{ subject: subjectOf(c), methods: [rule.procedure] }],
      expires: timestampFromDate(new Date(Date.now() + 4_000)),
    });
    const s = open(short.secret, c.subject);
    await s.started;
    expect(s.received).toBe(1);
    const err = await s.ended;
    expect(err?.code).toBe(Code.Unauthenticated);
    expect(err?.rawMessage).toMatch(/token expired/);
  });

  it.runIf(rule.scope !== Scope.SELF)("ends with PermissionDenied when the caller is removed", async () => {
    const c = await caller();
    const s = open(c.token, c.subject);
    await s.started;
    await takeAccess(c);
    expect((await s.ended)?.code).toBe(Code.PermissionDenied);
    expect(s.received).toBe(1);
  });

  it.runIf(rule.scope !== Scope.SELF && rule.scope !== Scope.INFRA)(
    "ends with PermissionDenied when the caller is downgraded below the method's role",
    async () => {
      const c = await caller(rule.scope === Scope.PROJECT ? ProjectRole.OWNER : TenantRole.OWNER);
      const s = open(c.token, c.subject, stricter);
      await s.started;
      if (rule.scope === Scope.PROJECT)
        await setProjectRole(server.ctx, c.user, c.subject, ProjectRole.VIEWER);
      else if (rule.scope === Scope.TENANT)
        await setTenantRole(server.ctx, c.user, c.subject, TenantRole.VIEWER);
      else {
        const k = server.ctx.db.kysely;
        await k.updateTable("users").set({ admin_role: AdminRole.VIEWER }).where("id", "=", c.user).execute();
        membershipChanged(server.ctx, c.user);
      }
      expect((await s.ended)?.code).toBe(Code.PermissionDenied);
      expect(s.received).toBe(1);
    },
  );

  it.runIf(rule.scope === Scope.PROJECT || rule.scope === Scope.TENANT)(
    "ends with NotFound when its project or tenant is deleted, for an operator too",
    async () => {
      const c = await caller();
      await addUser(server.ctx, `root${n}`, AdminRole.EDITOR);
      const root = (await server.ctx.tokens.issueUserSession(`root${n}`)).accessToken;
      const streams = [open(c.token, c.subject), open(root, c.subject)];
      await Promise.all(streams.map((s) => s.started));
      if (rule.scope === Scope.PROJECT) await deleteProject(server.ctx, c.subject);
      else {
        await server.ctx.db.kysely.deleteFrom("projects").where("tenant_id", "=", c.subject).execute();
        await deleteTenant(server.ctx, c.subject);
      }
      for (const s of streams) {
        const err = await s.ended;
        // The member loses the role with the project; the operator keeps one, so only the deletion ends it.
        expect([Code.NotFound, Code.PermissionDenied]).toContain(err?.code);
        expect(s.received).toBe(1);
      }
      expect((await streams[1]?.ended)?.code).toBe(Code.NotFound);
    },
  );

  it("keeps streaming while access holds", async () => {
    const c = await caller();
    const s = open(c.token, c.subject);
    await s.started;
    s.gate.release();
    s.gate.release();
    await expect.poll(() => s.received).toBe(3);
  });
});

it("covers at least the machine watch", () => {
  expect(STREAMING.map((r) => r.procedure)).toContain("/metalstack.api.v2.MachineService/Watch");
});
