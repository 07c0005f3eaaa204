import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it as itBase } from "vitest";
import { ProjectRole, TenantRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { projectRepo } from "../../../src/server/tenancy/project-repo.js";
import {
  createProject,
  listProjectMembers,
  removeProjectMember,
  updateProjectMember,
} from "../../../src/server/tenancy/projects.js";
import { tenantRepo } from "../../../src/server/tenancy/tenant-repo.js";
import {
  createTenant,
  listTenantMembers,
  removeTenantMember,
  updateTenantMember,
} from "../../../src/server/tenancy/tenants.js";
import { ensureUser } from "../../../src/server/tenancy/users.js";
import { postgresAvailable } from "../../helpers/components.js";
import { startDialectServer } from "../../helpers/dialect-server.js";
import type { TestServer } from "../../helpers/start-server.js";
import { expectCode } from "./expect-code.js";
import { login } from "./fixture.js";

const withPostgres = await postgresAvailable();
const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);

// The member rules of tenants and projects, with their exact answers: the last owner stays, roles are
// checked first, and on tenants (whose admins manage members of tenants they do not belong to) no one
// raises their own role.
describe.each([
  ["sqlite", true],
  ["postgres", withPostgres],
] as const)("member rules of tenants and projects on %s", (dialect, available) => {
  let server: TestServer;
  let project = "";
  const it = itBase.runIf(available);
  const now = () => new Date().toISOString();

  beforeAll(async () => {
    if (!available) return;
    server = await startDialectServer(dialect);
    for (const id of ["ann", "ben", "cid"])
      await ensureUser(server.ctx, { id, name: `User ${id}`, email: `${id}@x` });
    await createTenant(server.ctx, "ann", { id: "org", name: "Org", description: "", email: "", labels: {} });
    await tenantRepo(server.ctx.db.kysely, "org").addMember({
      user_id: "ben",
      role: TenantRole.EDITOR,
      created_at: now(),
    });
    project = (await createProject(server.ctx, "org", "ann", { name: "p", description: "", labels: {} })).id;
    await projectRepo(server.ctx.db.kysely, project).addMember({
      user_id: "ben",
      role: ProjectRole.VIEWER,
      created_at: now(),
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("lists members by user id with their names", async () => {
    const tenant = await listTenantMembers(server.ctx, "org");
    expect(tenant.map((m) => [m.user_id, m.role, m.name])).toEqual([
      ["ann", TenantRole.OWNER, "User ann"],
      ["ben", TenantRole.EDITOR, "User ben"],
    ]);
    const direct = await listProjectMembers(server.ctx, project);
    expect(direct.map((m) => [m.user_id, m.role, m.email])).toEqual([
      ["ann", ProjectRole.OWNER, "ann@x"],
      ["ben", ProjectRole.VIEWER, "ben@x"],
    ]);
    expect(await listTenantMembers(server.ctx, "no-such-tenant")).toEqual([]);
  });

  it("checks the role before anything else", async () => {
    await expectCode(
      updateTenantMember(server.ctx, "org", "nobody", 42 as TenantRole, "nobody"),
      Code.InvalidArgument,
      exactly("role: must be one of TENANT_ROLE_OWNER, TENANT_ROLE_EDITOR, TENANT_ROLE_VIEWER"),
    );
    await expectCode(
      updateTenantMember(server.ctx, "org", "ann", TenantRole.UNSPECIFIED, "ann"),
      Code.InvalidArgument,
      /^role: /,
    );
    await expectCode(
      updateProjectMember(server.ctx, project, "nobody", ProjectRole.UNSPECIFIED),
      Code.InvalidArgument,
      exactly("role: must be one of PROJECT_ROLE_OWNER, PROJECT_ROLE_EDITOR, PROJECT_ROLE_VIEWER"),
    );
  });

  it("names members that are not there", async () => {
    await expectCode(
      updateTenantMember(server.ctx, "org", "cid", TenantRole.VIEWER),
      Code.NotFound,
      exactly('user "cid" is not a member of tenant "org"'),
    );
    // Acting on oneself without a membership is the same NotFound, not a role refusal.
    await expectCode(
      updateTenantMember(server.ctx, "org", "cid", TenantRole.OWNER, "cid"),
      Code.NotFound,
      exactly('user "cid" is not a member of tenant "org"'),
    );
    await expectCode(
      updateProjectMember(server.ctx, project, "cid", ProjectRole.VIEWER),
      Code.NotFound,
      exactly(`user "cid" is not a direct member of project "${project}"`),
    );
    await expectCode(
      removeTenantMember(server.ctx, "org", "cid", false),
      Code.NotFound,
      exactly('user "cid" is not a member of tenant "org"'),
    );
    await expectCode(
      removeTenantMember(server.ctx, "org", "cid", true),
      Code.NotFound,
      exactly('you are not a member of tenant "org"'),
    );
    await expectCode(
      removeProjectMember(server.ctx, project, "cid", true),
      Code.NotFound,
      exactly(`you are not a direct member of project "${project}"`),
    );
    await expectCode(
      removeProjectMember(server.ctx, "no-such-project", "ann", false),
      Code.NotFound,
      exactly('user "ann" is not a direct member of project "no-such-project"'),
    );
  });

  it("keeps the last owner, with words for removal and for leaving", async () => {
    await expectCode(
      updateTenantMember(server.ctx, "org", "ann", TenantRole.EDITOR, "ann"),
      Code.FailedPrecondition,
      exactly(
        'user "ann" is the last owner of tenant "org" and cannot be downgraded; make another member owner first',
      ),
    );
    await expectCode(
      removeTenantMember(server.ctx, "org", "ann", false),
      Code.FailedPrecondition,
      exactly(
        'user "ann" is the last owner of tenant "org" and cannot be removed; make another member owner first',
      ),
    );
    await expectCode(
      removeTenantMember(server.ctx, "org", "ann", true),
      Code.FailedPrecondition,
      exactly('you are the last owner of tenant "org" and cannot leave; make another member owner first'),
    );
    await expectCode(
      updateProjectMember(server.ctx, project, "ann", ProjectRole.VIEWER),
      Code.FailedPrecondition,
      exactly(
        `user "ann" is the last owner of project "${project}" and cannot be downgraded; make another member owner first`,
      ),
    );
    await expectCode(
      removeProjectMember(server.ctx, project, "ann", true),
      Code.FailedPrecondition,
      exactly(
        `you are the last owner of project "${project}" and cannot leave; make another member owner first`,
      ),
    );
    // Setting the last owner to owner again changes nothing and is allowed.
    const same = await updateTenantMember(server.ctx, "org", "ann", TenantRole.OWNER, "ann");
    expect(same).toMatchObject({ user_id: "ann", role: TenantRole.OWNER, name: "User ann" });
    expect(await tenantRepo(server.ctx.db.kysely, "org").ownerCount()).toBe(1);
  });

  it("lets no one raise their own tenant role, but lower or keep it", async () => {
    await expectCode(
      updateTenantMember(server.ctx, "org", "ben", TenantRole.OWNER, "ben"),
      Code.PermissionDenied,
      exactly('role: you cannot raise your own role on tenant "org"; ask another owner'),
    );
    expect((await tenantRepo(server.ctx.db.kysely, "org").member("ben"))?.role).toBe(TenantRole.EDITOR);
    expect((await updateTenantMember(server.ctx, "org", "ben", TenantRole.EDITOR, "ben")).role).toBe(
      TenantRole.EDITOR,
    );
    expect((await updateTenantMember(server.ctx, "org", "ben", TenantRole.VIEWER, "ben")).role).toBe(
      TenantRole.VIEWER,
    );
    await expectCode(
      updateTenantMember(server.ctx, "org", "ben", TenantRole.EDITOR, "ben"),
      Code.PermissionDenied,
      /raise your own role/,
    );
    // Someone else may raise it; so may a caller that names no actor (operators' tools, tests).
    expect((await updateTenantMember(server.ctx, "org", "ben", TenantRole.EDITOR, "ann")).role).toBe(
      TenantRole.EDITOR,
    );
    expect((await updateTenantMember(server.ctx, "org", "ben", TenantRole.OWNER)).role).toBe(
      TenantRole.OWNER,
    );
    // With two owners the first may step down, and then leave.
    expect((await updateTenantMember(server.ctx, "org", "ann", TenantRole.VIEWER, "ann")).role).toBe(
      TenantRole.VIEWER,
    );
    await removeTenantMember(server.ctx, "org", "ann", true);
    expect((await listTenantMembers(server.ctx, "org")).map((m) => m.user_id)).toEqual(["ben"]);
  });

  // test/server/authz/tenant-admin.test.ts shows the tenant rule through the API, for a tenant admin.
  it("has no own-role rule on projects: a tenant owner may raise its direct project role", async () => {
    // ben owns the tenant now, so it holds OWNER on the project through the tenant; its direct
    // membership is still VIEWER.
    const ben = await login(server, "ben");
    const { member } = await ben.project.memberUpdate({ project, user: "ben", role: ProjectRole.OWNER });
    expect(member).toMatchObject({ user: "ben", role: ProjectRole.OWNER });
    expect((await projectRepo(server.ctx.db.kysely, project).member("ben"))?.role).toBe(ProjectRole.OWNER);
  });
});
