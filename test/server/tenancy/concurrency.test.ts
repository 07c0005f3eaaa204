import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it as itBase } from "vitest";
import { ProjectRole, TenantRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { acceptInvite, createInvite, tenantInvites } from "../../../src/server/tenancy/invites.js";
import { projectRepo } from "../../../src/server/tenancy/project-repo.js";
import {
  createProject,
  removeProjectMember,
  updateProjectMember,
} from "../../../src/server/tenancy/projects.js";
import { tenantRepo } from "../../../src/server/tenancy/tenant-repo.js";
import { createTenant, removeTenantMember, updateTenantMember } from "../../../src/server/tenancy/tenants.js";
import { ensureUser } from "../../../src/server/tenancy/users.js";
import { postgresAvailable } from "../../helpers/components.js";
import { startDialectServer } from "../../helpers/dialect-server.js";
import type { TestServer } from "../../helpers/start-server.js";

// Races behave differently per dialect (SQLite serialises writers, PostgreSQL needs row locks), so
// these run on both whenever PostgreSQL is there (always in CI).
const withPostgres = await postgresAvailable();

describe.each([
  ["sqlite", true],
  ["postgres", withPostgres],
] as const)("tenancy under concurrent changes: %s", (dialect, available) => {
  let server: TestServer;
  beforeAll(async () => {
    if (!available) return;
    server = await startDialectServer(dialect);
    for (const id of ["u1", "u2", "u3"]) await ensureUser(server.ctx, { id, name: id, email: `${id}@x` });
  });
  afterAll(async () => {
    await server?.close();
  });
  const it = itBase.runIf(available);

  it("concurrent first logins create one user with one personal tenant", async () => {
    const users = await Promise.all(
      Array.from({ length: 6 }, () => ensureUser(server.ctx, { id: "fresh", name: "Fresh", email: "f@x" })),
    );
    expect(users.map((u) => u.id)).toEqual(Array(6).fill("fresh"));
    const members = await server.ctx.db.kysely
      .selectFrom("tenant_members")
      .selectAll()
      .where("user_id", "=", "fresh")
      .execute();
    expect(members.map((m) => [m.tenant_id, m.role])).toEqual([["fresh", TenantRole.OWNER]]);
  });

  it("concurrent accepts of one invite let exactly one win", async () => {
    await createTenant(server.ctx, "u1", {
      id: "race-inv",
      name: "inv",
      description: "",
      email: "",
      labels: {},
    });
    const { secret } = await createInvite(
      server.ctx,
      tenantInvites,
      "race-inv",
      "u1",
      TenantRole.EDITOR,
      undefined,
    );
    const results = await Promise.allSettled(
      ["u2", "u3"].map((u) => acceptInvite(server.ctx, tenantInvites, u, secret)),
    );
    expect(outcome(results)).toBe(1);
    expect((await tenantRepo(server.ctx.db.kysely, "race-inv").members()).length).toBe(2);
  });

  async function tenantWithOwners(id: string, owners: string[]) {
    const now = new Date().toISOString();
    await createTenant(server.ctx, owners[0]!, { id, name: id, description: "", email: "", labels: {} });
    for (const o of owners.slice(1)) {
      await tenantRepo(server.ctx.db.kysely, id).addMember({
        user_id: o,
        role: TenantRole.OWNER,
        created_at: now,
      });
    }
  }

  function outcome(results: PromiseSettledResult<unknown>[]) {
    const failed = results.filter((r) => r.status === "rejected");
    for (const f of failed)
      expect(ConnectError.from((f as PromiseRejectedResult).reason).code).toBe(Code.FailedPrecondition);
    return results.length - failed.length;
  }

  it("two owners downgrading each other leave exactly one owner", async () => {
    await tenantWithOwners("race-a", ["u1", "u2"]);
    const results = await Promise.allSettled([
      updateTenantMember(server.ctx, "race-a", "u1", TenantRole.VIEWER),
      updateTenantMember(server.ctx, "race-a", "u2", TenantRole.VIEWER),
    ]);
    expect(outcome(results)).toBe(1);
    expect(await tenantRepo(server.ctx.db.kysely, "race-a").ownerCount()).toBe(1);
  });

  it("owners leaving at once cannot leave a tenant without owner", async () => {
    await tenantWithOwners("race-b", ["u1", "u2", "u3"]);
    const results = await Promise.allSettled(
      ["u1", "u2", "u3"].map((u) => removeTenantMember(server.ctx, "race-b", u, true)),
    );
    expect(outcome(results)).toBe(2);
    expect(await tenantRepo(server.ctx.db.kysely, "race-b").ownerCount()).toBe(1);
  });

  it("holds for project owners too", async () => {
    const project = await createProject(server.ctx, "u1", "u1", {
      name: "race",
      description: "",
      labels: {},
    });
    const now = new Date().toISOString();
    await projectRepo(server.ctx.db.kysely, project.id).addMember({
      user_id: "u2",
      role: ProjectRole.OWNER,
      created_at: now,
    });
    const results = await Promise.allSettled([
      updateProjectMember(server.ctx, project.id, "u1", ProjectRole.EDITOR),
      removeProjectMember(server.ctx, project.id, "u2", false),
    ]);
    expect(outcome(results)).toBe(1);
    expect(await projectRepo(server.ctx.db.kysely, project.id).ownerCount()).toBe(1);
  });
});
