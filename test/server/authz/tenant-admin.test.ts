import { Code, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserService as AdminUserService, LocalRole } from "../../../src/gen/metalstack/admin/v2/user_pb.js";
import { AdminRole, ProjectRole, TenantRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { MachineService } from "../../../src/gen/metalstack/api/v2/machine_pb.js";
import { NetworkService } from "../../../src/gen/metalstack/api/v2/network_pb.js";
import { defaultIdentityConfig } from "../../../src/server/oauth/identity-config.js";
import { tenantAdminFor } from "../../../src/server/oauth/roles.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import { expectCode } from "../tenancy/expect-code.js";
import { type Caller, clientsFor, login } from "../tenancy/fixture.js";

/** Infrastructure and operator clients next to the tenancy ones, all presenting one token. */
function allClients(server: TestServer, token: string) {
  const bearer: Interceptor = (next) => (req) => {
    req.header.set("authorization", `Bearer ${token}`);
    return next(req);
  };
  const transport = createConnectTransport({
    baseUrl: server.url,
    httpVersion: "1.1",
    interceptors: [bearer],
  });
  return {
    ...clientsFor(server, token),
    machine: createClient(MachineService, transport),
    network: createClient(NetworkService, transport),
    adminUsers: createClient(AdminUserService, transport),
  };
}

describe("solution admin (tenant admin)", () => {
  let server: TestServer;
  let alice: Caller;
  let bob: Caller;
  let ops: ReturnType<typeof allClients>;
  let sol: ReturnType<typeof allClients>;
  let project: string;
  let generation: bigint;

  const setSolRoles = async (roles: LocalRole[]) => {
    const res = await ops.adminUsers.update({ id: "sol", updateMeta: { generation }, roles: { roles } });
    generation = res.user!.meta!.generation;
  };

  beforeAll(async () => {
    server = await startTestServer();
    alice = await login(server, "alice");
    bob = await login(server, "bob");
    await alice.tenant.create({ id: "org", name: "Org" });
    project = (await alice.project.create({ tenant: "org", name: "web" })).project!.id;
    await login(server, "ops", AdminRole.EDITOR);
    ops = allClients(server, (await server.ctx.tokens.issueUserSession("ops")).accessToken);
    // The local user logged in once (API user exists); granting the role reaches it at once.
    const created = await ops.adminUsers.create({
      id: "sol",
      name: "Sol",
      email: "sol@example.com",
      roles: [],
      password: "Initial-Secret-99",
    });
    generation = created.user!.meta!.generation;
    await login(server, "sol");
    sol = allClients(server, (await server.ctx.tokens.issueUserSession("sol")).accessToken);
    await expectCode(sol.tenant.get({ tenant: "org" }), Code.PermissionDenied);
    await setSolRoles([LocalRole.SOLUTION_ADMIN]);
  });
  afterAll(() => server?.close());

  it("maps the solution-admin group to the tenant-admin flag at login by default", () => {
    const mapping = defaultIdentityConfig().groupRoles;
    expect(tenantAdminFor(["solution-admin"], mapping)).toBe(true);
    expect(tenantAdminFor(["read-only", "cluster-admin"], mapping)).toBe(false);
    expect(tenantAdminFor(undefined, mapping)).toBeUndefined();
  });

  it("manages members and settings of a tenant it does not belong to", async () => {
    const invite = await sol.tenant.invite({ tenant: "org", role: TenantRole.VIEWER });
    await bob.tenant.inviteAccept({ secret: invite.secret });
    const member = await sol.tenant.memberUpdate({ tenant: "org", user: "bob", role: TenantRole.EDITOR });
    expect(member.member?.role).toBe(TenantRole.EDITOR);
    const members = await sol.tenant.memberList({ tenant: "org" });
    expect(members.members.map((m) => m.user).sort()).toEqual(["alice", "bob"]);
    const before = (await sol.tenant.get({ tenant: "org" })).tenant!;
    const updated = await sol.tenant.update({
      tenant: "org",
      updateMeta: { generation: before.meta!.generation },
      description: "run by the solution team",
    });
    expect(updated.tenant?.description).toBe("run by the solution team");
  });

  it("changes no infrastructure and calls no operator methods", async () => {
    await expectCode(sol.machine.list({ project }), Code.PermissionDenied, /project role/);
    await expectCode(sol.machine.create({ project }), Code.PermissionDenied);
    await expectCode(sol.network.list({ project }), Code.PermissionDenied);
    await expectCode(sol.network.create({ project }), Code.PermissionDenied);
    await expectCode(sol.project.get({ project }), Code.PermissionDenied);
    await expectCode(sol.project.invite({ project, role: ProjectRole.OWNER }), Code.PermissionDenied);
    await expectCode(sol.adminTenant.list({}), Code.PermissionDenied, /admin role/);
    await expectCode(sol.adminUsers.list({}), Code.PermissionDenied, /admin role/);
  });

  it("cannot turn its tenant powers into a membership of its own", async () => {
    const own = await sol.tenant.invite({ tenant: "org", role: TenantRole.OWNER });
    await expectCode(sol.tenant.inviteAccept({ secret: own.secret }), Code.PermissionDenied, /created it/);
    await expectCode(
      sol.tenant.memberUpdate({ tenant: "org", user: "sol", role: TenantRole.OWNER }),
      Code.NotFound,
    );
    // A membership it was given by an owner cannot be raised by itself either.
    const viewer = await alice.tenant.invite({ tenant: "org", role: TenantRole.VIEWER });
    await sol.tenant.inviteAccept({ secret: viewer.secret });
    await expectCode(
      sol.tenant.memberUpdate({ tenant: "org", user: "sol", role: TenantRole.OWNER }),
      Code.PermissionDenied,
      /raise your own role/,
    );
    await expectCode(sol.network.create({ project }), Code.PermissionDenied);
    await alice.tenant.memberRemove({ tenant: "org", user: "sol" });
    await expectCode(sol.project.get({ project }), Code.PermissionDenied);
  });

  it("an API token with only a project role gains no tenant powers", async () => {
    const invite = await alice.project.invite({ project, role: ProjectRole.VIEWER });
    await sol.project.inviteAccept({ secret: invite.secret });
    const { secret } = await server.ctx.tokens.issueApiToken({
      userId: "sol",
      description: "ci",
      projectRoles: { [project]: ProjectRole.VIEWER },
      expiresAt: new Date(Date.now() + 60 * 60 * 1000),
    });
    const ci = allClients(server, secret);
    expect((await ci.project.get({ project })).project?.id).toBe(project);
    await expectCode(ci.tenant.get({ tenant: "org" }), Code.PermissionDenied, /tenant role/);
    await expectCode(ci.tenant.invite({ tenant: "org", role: TenantRole.VIEWER }), Code.PermissionDenied);
    await expectCode(
      ci.tenant.memberUpdate({ tenant: "org", user: "bob", role: TenantRole.VIEWER }),
      Code.PermissionDenied,
    );
    await expectCode(ci.network.create({ project }), Code.PermissionDenied);
  });

  it("loses its tenant powers on the next request once the role is removed", async () => {
    expect((await sol.tenant.get({ tenant: "org" })).tenant?.id).toBe("org");
    await setSolRoles([]);
    const row = await server.ctx.db.kysely
      .selectFrom("users")
      .select(["tenant_admin", "admin_role"])
      .where("id", "=", "sol")
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ tenant_admin: 0, admin_role: 0 });
    await expectCode(sol.tenant.get({ tenant: "org" }), Code.PermissionDenied, /tenant role/);
    await expectCode(sol.tenant.invite({ tenant: "org", role: TenantRole.VIEWER }), Code.PermissionDenied);
  });
});
