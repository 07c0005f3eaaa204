import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProjectRole, TenantRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { createInvite, projectInvites, tenantInvites } from "../../../src/server/tenancy/invites.js";
import { projectRepo } from "../../../src/server/tenancy/project-repo.js";
import { createProject } from "../../../src/server/tenancy/projects.js";
import { tenantRepo } from "../../../src/server/tenancy/tenant-repo.js";
import { createTenant } from "../../../src/server/tenancy/tenants.js";
import { userRepo } from "../../../src/server/tenancy/user-repo.js";
import { ensureUser } from "../../../src/server/tenancy/users.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";

describe("scope-bound repositories", () => {
  let server: TestServer;
  let projectA: string;
  let projectB: string;
  let inviteA: string;
  let projectInviteB: string;
  beforeAll(async () => {
    server = await startTestServer();
    const ctx = server.ctx;
    await ensureUser(ctx, { id: "ann", name: "Ann", email: "ann@x" });
    await ensureUser(ctx, { id: "ben", name: "Ben", email: "ben@x" });
    await createTenant(ctx, "ann", { id: "tenant-a", name: "A", description: "", email: "", labels: {} });
    await createTenant(ctx, "ben", { id: "tenant-b", name: "B", description: "", email: "", labels: {} });
    projectA = (await createProject(ctx, "tenant-a", "ann", { name: "pa", description: "", labels: {} })).id;
    projectB = (await createProject(ctx, "tenant-b", "ben", { name: "pb", description: "", labels: {} })).id;
    const ofA = await createInvite(ctx, tenantInvites, "tenant-a", "ann", TenantRole.VIEWER, undefined);
    inviteA = ofA.row.id;
    const ofB = await createInvite(ctx, projectInvites, projectB, "ben", ProjectRole.VIEWER, undefined);
    projectInviteB = ofB.row.id;
  });
  afterAll(() => server.close());

  it("a tenant repository sees only its own tenant's members and invites", async () => {
    const b = tenantRepo(server.ctx.db.kysely, "tenant-b");
    expect((await b.members()).map((m) => m.user_id)).toEqual(["ben"]);
    expect(await b.member("ann")).toBeUndefined();
    expect((await b.openInvites()).map((i) => i.id)).not.toContain(inviteA);
    expect(await b.deleteInvite(inviteA)).toBe(false);
    expect((await tenantRepo(server.ctx.db.kysely, "tenant-a").openInvites()).map((i) => i.id)).toEqual([
      inviteA,
    ]);
  });

  it("a tenant repository cannot change another tenant's memberships", async () => {
    const b = tenantRepo(server.ctx.db.kysely, "tenant-b");
    await b.setMemberRole("ann", TenantRole.VIEWER);
    await b.removeMember("ann");
    const a = await tenantRepo(server.ctx.db.kysely, "tenant-a").member("ann");
    expect(a?.role).toBe(TenantRole.OWNER);
  });

  it("a project repository sees only its own project", async () => {
    const a = projectRepo(server.ctx.db.kysely, projectA);
    expect((await a.members()).map((m) => m.user_id)).toEqual(["ann"]);
    expect(await a.member("ben")).toBeUndefined();
    expect(await a.deleteInvite(projectInviteB)).toBe(false);
    expect((await a.openInvites()).map((i) => i.id)).toEqual([]);
  });

  it("a user repository lists only what the user reaches", async () => {
    const ann = userRepo(server.ctx.db.kysely, "ann");
    expect((await ann.visibleProjects()).map((p) => p.id)).toEqual([projectA]);
    expect(await ann.visibleProjects({ tenant: "tenant-b" })).toEqual([]);
    expect((await ann.tenants()).map((t) => t.id)).toEqual(["ann", "tenant-a"]);
  });
});
