import { create, type DescMethod, type DescService, getOption } from "@bufbuild/protobuf";
import {
  Code,
  ConnectError,
  type ConnectRouter,
  createClient,
  createRouterTransport,
  type Transport,
} from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AdminRole,
  admin_roles,
  calling_token_only,
  ProjectRole,
  project_roles,
  Scope,
  scope,
  TenantRole,
  tenant_roles,
} from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { buildPermissionTable, procedureOf } from "../../../src/server/authz/permission-table.js";
import { createInterceptors } from "../../../src/server/interceptors/index.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import {
  addUser,
  bearer,
  FOREIGN_PROJECT,
  FOREIGN_TENANT,
  loadGeneratedServices,
  MISSING_PROJECT,
  OWN_PROJECT,
  OWN_TENANT,
  seedScopes,
  setProjectRole,
  setTenantRole,
} from "./fixtures.js";

const services = await loadGeneratedServices();
const methods = services.flatMap((s) => s.methods);
// Reflection is described by gRPC's own proto; its rule is built in (public).
const annotated = methods.filter((m) => m.parent.typeName !== "grpc.reflection.v1.ServerReflection");

describe("proto annotations", () => {
  it("cover at least the services of this repository", () => {
    expect(services.map((s) => s.typeName)).toEqual(
      expect.arrayContaining(["metalstack.api.v2.TokenService", "metalstack.api.v2.MethodService"]),
    );
  });
  // An AnnotationError names each RPC of the service that breaks the contract, and why.
  it.each(services.map((s) => [s.typeName, s] as const))("%s: every RPC follows the contract", (_n, s) => {
    expect(() => buildPermissionTable([s])).not.toThrow();
  });
});

/** Caller describes one kind of caller and what the contract says it holds. */
interface Caller {
  name: string;
  token?: string;
  /** The token is not acceptable (revoked, expired): every non-public call is Unauthenticated. */
  invalid?: boolean;
  admin: AdminRole;
  tenantRole: TenantRole;
  /** Direct project role on OWN_PROJECT. */
  projectRole: ProjectRole;
  /** API token: only these procedures on OWN subjects, nothing from roles. */
  apiMethods?: string[];
}

function adminImplied(admin: AdminRole): number {
  return admin === AdminRole.EDITOR ? 1 : admin === AdminRole.VIEWER ? 3 : 0;
}
function best(...roles: number[]): number {
  const held = roles.filter((r) => r > 0);
  return held.length ? Math.min(...held) : 0;
}

/** expected is the decision the annotations imply, written from the contract, not from the server code. */
function expected(c: Caller, m: DescMethod, subject: "own" | "foreign" | "none"): Code | "ok" {
  const sc = getOption(m, scope);
  const isReflection = m.parent.typeName === "grpc.reflection.v1.ServerReflection";
  if (isReflection || sc === Scope.PUBLIC) return "ok";
  if (!c.token || c.invalid) return Code.Unauthenticated;
  const procedure = procedureOf(m);
  if (c.apiMethods) {
    // A narrowed API token: only its method, and only as far as its user holds it (here: project OWNER);
    // a method about the calling token alone needs no grant.
    if (sc === Scope.SELF && getOption(m, calling_token_only)) return "ok";
    if (!c.apiMethods.includes(procedure)) return Code.PermissionDenied;
    if (sc === Scope.SELF) return "ok";
    if (sc === Scope.PROJECT) return subject === "own" ? "ok" : Code.PermissionDenied;
    return Code.PermissionDenied;
  }
  switch (sc) {
    case Scope.SELF:
      return "ok";
    case Scope.ADMIN:
      return getOption(m, admin_roles).includes(c.admin) ? "ok" : Code.PermissionDenied;
    case Scope.INFRA:
      return c.admin === AdminRole.EDITOR ? "ok" : Code.PermissionDenied;
    case Scope.TENANT: {
      const role = best(subject === "own" ? c.tenantRole : 0, adminImplied(c.admin));
      return getOption(m, tenant_roles).includes(role) ? "ok" : Code.PermissionDenied;
    }
    case Scope.PROJECT: {
      const role = best(
        subject === "own" ? c.projectRole : 0,
        subject === "own" ? c.tenantRole : 0,
        adminImplied(c.admin),
      );
      return getOption(m, project_roles).includes(role) ? "ok" : Code.PermissionDenied;
    }
    default:
      return Code.PermissionDenied;
  }
}

function subjectFieldOf(m: DescMethod): "tenant" | "project" | undefined {
  const sc = getOption(m, scope);
  return sc === Scope.TENANT ? "tenant" : sc === Scope.PROJECT ? "project" : undefined;
}

function requestFor(m: DescMethod, subject: string | undefined) {
  const init: Record<string, unknown> = {};
  const field = subjectFieldOf(m);
  if (field && subject) init[field] = subject;
  if (m.input.fields.some((f) => f.name === "update_meta")) init.updateMeta = {};
  return create(m.input, init as never);
}

// Empty implementations: the subject under test is the interceptor chain, not the handlers.
function emptyRoutes(list: DescService[]) {
  return (router: ConnectRouter) => {
    for (const service of list) {
      const impl: Record<string, unknown> = {};
      for (const m of service.methods) {
        const out = () => create(m.output);
        impl[m.localName] =
          m.methodKind === "unary"
            ? out
            : m.methodKind === "server_streaming"
              ? async function* () {
                  yield out();
                }
              : m.methodKind === "client_streaming"
                ? async (reqs: AsyncIterable<unknown>) => {
                    for await (const _ of reqs);
                    return out();
                  }
                : async function* (reqs: AsyncIterable<unknown>) {
                    for await (const _ of reqs) yield out();
                  };
      }
      router.service(service, impl as Parameters<ConnectRouter["service"]>[1]);
    }
  };
}

async function call(transport: Transport, m: DescMethod, subject: string | undefined): Promise<Code | "ok"> {
  const client = createClient(m.parent, transport) as unknown as Record<string, (...a: unknown[]) => unknown>;
  const fn = client[m.localName];
  if (!fn) throw new Error(`no client method ${m.localName}`);
  const req = requestFor(m, subject);
  try {
    if (m.methodKind === "unary") await fn(req);
    else if (m.methodKind === "server_streaming") for await (const _ of fn(req) as AsyncIterable<unknown>);
    else if (m.methodKind === "client_streaming") {
      await fn(
        (async function* () {
          yield req;
        })(),
      );
    } else {
      for await (const _ of fn(
        (async function* () {
          yield req;
        })(),
      ) as AsyncIterable<unknown>);
    }
    return "ok";
  } catch (err) {
    return ConnectError.from(err).code;
  }
}

describe("authorization matrix (every generated RPC × caller kind)", () => {
  let server: TestServer;
  let transport: (token?: string) => Transport;
  const callers: Caller[] = [];
  // The method the narrowed API token may call: the first project-scoped one, e.g. a Get.
  const narrowed = annotated.find((m) => getOption(m, scope) === Scope.PROJECT);

  beforeAll(async () => {
    server = await startTestServer();
    const ctx = { ...server.ctx, permissions: buildPermissionTable(services) };
    await seedScopes(ctx);
    const interceptors = createInterceptors(ctx, {
      rateLimits: { perAddress: { perSecond: 1e9, burst: 1e9 }, perUser: { perSecond: 1e9, burst: 1e9 } },
    });
    transport = (token) =>
      createRouterTransport(emptyRoutes(services), {
        router: { interceptors },
        transport: { interceptors: token ? [bearer(token)] : [] },
      });
    const none = { admin: AdminRole.UNSPECIFIED, tenantRole: 0, projectRole: 0 };
    const session = async (id: string) => (await ctx.tokens.issueUserSession(id)).accessToken;
    callers.push({ name: "anonymous", ...none });
    await addUser(ctx, "self-only");
    callers.push({ name: "self-only user", token: await session("self-only"), ...none });
    for (const role of [TenantRole.OWNER, TenantRole.EDITOR, TenantRole.VIEWER]) {
      const id = `tenant-${TenantRole[role]}`;
      await addUser(ctx, id);
      await setTenantRole(ctx, id, OWN_TENANT, role);
      callers.push({
        name: `tenant ${TenantRole[role]}`,
        token: await session(id),
        ...none,
        tenantRole: role,
      });
    }
    for (const role of [ProjectRole.OWNER, ProjectRole.EDITOR, ProjectRole.VIEWER]) {
      const id = `project-${ProjectRole[role]}`;
      await addUser(ctx, id);
      await setProjectRole(ctx, id, OWN_PROJECT, role);
      callers.push({
        name: `project ${ProjectRole[role]}`,
        token: await session(id),
        ...none,
        projectRole: role,
      });
    }
    for (const admin of [AdminRole.VIEWER, AdminRole.EDITOR]) {
      const id = `admin-${AdminRole[admin]}`;
      await addUser(ctx, id, admin);
      callers.push({ name: `admin ${AdminRole[admin]}`, token: await session(id), ...none, admin });
    }
    await addUser(ctx, "api-user");
    await setProjectRole(ctx, "api-user", OWN_PROJECT, ProjectRole.OWNER);
    if (narrowed) {
      const { secret } = await ctx.tokens.issueApiToken({
        userId: "api-user",
        description: "narrowed",
        permissions: [{ subject: OWN_PROJECT, methods: [procedureOf(narrowed)] }],
        expiresAt: new Date(Date.now() + 3_600_000),
      });
      callers.push({
        name: "API token narrowed to one method",
        token: secret,
        ...none,
        apiMethods: [procedureOf(narrowed)],
      });
    }
    await addUser(ctx, "revoked", AdminRole.EDITOR);
    const revoked = await ctx.tokens.issueUserSession("revoked");
    await ctx.tokens.revokeTokenString(revoked.accessToken);
    callers.push({
      name: "revoked token",
      token: revoked.accessToken,
      invalid: true,
      ...none,
      admin: AdminRole.EDITOR,
    });
    await addUser(ctx, "expired", AdminRole.EDITOR);
    const expired = await ctx.tokens.issueApiToken({
      userId: "expired",
      description: "expired",
      adminRole: AdminRole.EDITOR,
      expiresAt: new Date(Date.now() - 1_000),
    });
    callers.push({
      name: "expired token",
      token: expired.secret,
      invalid: true,
      ...none,
      admin: AdminRole.EDITOR,
    });
    await addUser(ctx, "downgraded");
    await setTenantRole(ctx, "downgraded", OWN_TENANT, TenantRole.OWNER);
    const downgradedToken = await session("downgraded");
    await setTenantRole(ctx, "downgraded", OWN_TENANT, TenantRole.VIEWER);
    callers.push({
      name: "downgraded member (OWNER→VIEWER)",
      token: downgradedToken,
      ...none,
      tenantRole: TenantRole.VIEWER,
    });
  });
  afterAll(() => server.close());

  // Thousands of calls: on PostgreSQL and Redis, on a busy machine, they take longer than the default 30 s.
  it("decides every RPC for every caller as the annotations imply", { timeout: 300_000 }, async () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const c of callers) {
      const t = transport(c.token);
      for (const m of methods) {
        const field = subjectFieldOf(m);
        const subjects: ["own" | "foreign" | "none", string | undefined][] = !field
          ? [["none", undefined]]
          : field === "tenant"
            ? [
                ["own", OWN_TENANT],
                ["foreign", FOREIGN_TENANT],
              ]
            : [
                ["own", OWN_PROJECT],
                ["foreign", FOREIGN_PROJECT],
              ];
        for (const [kind, subject] of subjects) {
          const want = expected(c, m, kind);
          const got = await call(t, m, subject);
          checked++;
          if (got !== want) {
            const name = (x: Code | "ok") => (x === "ok" ? "ok" : Code[x]);
            mismatches.push(
              `${c.name} → ${procedureOf(m)} on ${kind} ${subject ?? ""}: got ${name(got)}, want ${name(want)}`,
            );
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(callers.length * annotated.length - 1);
  });

  it("answers a nonexistent project exactly like a foreign one", async () => {
    const projectMethods = annotated.filter((m) => getOption(m, scope) === Scope.PROJECT);
    for (const c of callers.filter((x) => x.admin === AdminRole.UNSPECIFIED && x.token && !x.invalid)) {
      const t = transport(c.token);
      for (const m of projectMethods) {
        const foreign = await call(t, m, FOREIGN_PROJECT);
        const missing = await call(t, m, MISSING_PROJECT);
        expect({ caller: c.name, m: procedureOf(m), code: missing }).toEqual({
          caller: c.name,
          m: procedureOf(m),
          code: foreign,
        });
      }
    }
  });

  it("lets an API token call exactly the method it was granted, on every RPC", async () => {
    const ctx = server.ctx;
    await addUser(ctx, "grantor", AdminRole.EDITOR);
    for (const m of annotated) {
      const sc = getOption(m, scope);
      if (sc === Scope.PUBLIC) continue;
      const field = subjectFieldOf(m);
      const subject = field === "tenant" ? OWN_TENANT : field === "project" ? OWN_PROJECT : undefined;
      const { secret } = await ctx.tokens.issueApiToken({
        userId: "grantor",
        description: procedureOf(m),
        permissions: [{ subject: subject ?? "*", methods: [procedureOf(m)] }],
        expiresAt: new Date(Date.now() + 3_600_000),
      });
      const t = transport(secret);
      expect({ m: procedureOf(m), code: await call(t, m, subject) }).toEqual({
        m: procedureOf(m),
        code: "ok",
      });
      if (field) {
        const other = field === "tenant" ? FOREIGN_TENANT : FOREIGN_PROJECT;
        // Granted on OWN only: the foreign subject is refused although the admin user could call it.
        expect({ m: procedureOf(m), code: await call(t, m, other) }).toEqual({
          m: procedureOf(m),
          code: Code.PermissionDenied,
        });
      }
      const another = annotated.find((x) => x !== m && getOption(x, scope) !== Scope.PUBLIC);
      if (another) {
        const f2 = subjectFieldOf(another);
        const s2 = f2 === "tenant" ? OWN_TENANT : f2 === "project" ? OWN_PROJECT : undefined;
        expect({ m: procedureOf(another), code: await call(t, another, s2) }).toEqual({
          m: procedureOf(another),
          code: Code.PermissionDenied,
        });
      }
    }
  });
});
