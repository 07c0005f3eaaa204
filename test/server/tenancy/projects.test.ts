import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProjectRole, TenantRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import { expectCode } from "./expect-code.js";
import { type Caller, login } from "./fixture.js";

describe("ProjectService", () => {
  let server: TestServer;
  let alice: Caller;
  let bob: Caller;
  let carol: Caller;
  beforeAll(async () => {
    server = await startTestServer();
    alice = await login(server, "alice");
    bob = await login(server, "bob");
    carol = await login(server, "carol");
    await alice.tenant.create({ id: "org", name: "Org" });
    const { secret } = await alice.tenant.invite({ tenant: "org", role: TenantRole.VIEWER });
    await bob.tenant.inviteAccept({ secret });
  });
  afterAll(() => server.close());

  async function projectInvite(project: string, who: Caller, role: ProjectRole) {
    const { secret } = await alice.project.invite({ project, role });
    await who.project.inviteAccept({ secret });
  }

  describe("Create", () => {
    it("creates a project with a UUID and makes the creator owner", async () => {
      const { project } = await alice.project.create({ tenant: "org", name: "web", labels: { env: "prod" } });
      expect(project?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(project).toMatchObject({ tenant: "org", name: "web" });
      expect(project?.meta?.labels).toEqual({ env: "prod" });
      const { members } = await alice.project.memberList({ project: project!.id });
      expect(members.map((m) => [m.user, m.role])).toEqual([["alice", ProjectRole.OWNER]]);
    });

    it("keeps names unique per tenant, not globally", async () => {
      await expectCode(alice.project.create({ tenant: "org", name: "web" }), Code.AlreadyExists, /^name: /);
      const { project } = await alice.project.create({ tenant: "alice", name: "web" });
      expect(project?.tenant).toBe("alice");
    });

    it("needs tenant OWNER or EDITOR and a name", async () => {
      await expectCode(bob.project.create({ tenant: "org", name: "bobs" }), Code.PermissionDenied);
      await expectCode(carol.project.create({ tenant: "org", name: "carols" }), Code.PermissionDenied);
      await expectCode(alice.project.create({ tenant: "org", name: " " }), Code.InvalidArgument, /^name: /);
    });
  });

  describe("List and Get", () => {
    it("shows projects reached directly or through a tenant role, never foreign ones", async () => {
      const { project: carolsOwn } = await carol.project.create({ tenant: "carol", name: "hidden" });
      const bobs = await bob.project.list({});
      expect(bobs.projects.map((p) => [p.tenant, p.name])).toEqual([["org", "web"]]);
      await projectInvite(
        (await alice.project.create({ tenant: "alice", name: "shared" })).project!.id,
        bob,
        ProjectRole.VIEWER,
      );
      const after = await bob.project.list({});
      expect(after.projects.map((p) => [p.tenant, p.name])).toEqual([
        ["alice", "shared"],
        ["org", "web"],
      ]);
      expect((await bob.project.list({ tenant: "org" })).projects.map((p) => p.name)).toEqual(["web"]);
      expect((await bob.project.list({ name: "shared" })).projects.map((p) => p.tenant)).toEqual(["alice"]);
      // A tenant bob cannot see reads like one that does not exist.
      await expectCode(
        bob.project.list({ tenant: "carol" }),
        Code.NotFound,
        /^tenant: tenant "carol" not found;/,
      );
      await expectCode(
        bob.project.list({ tenant: "nosuch" }),
        Code.NotFound,
        /^tenant: tenant "nosuch" not found;/,
      );
      await expectCode(bob.project.get({ project: carolsOwn!.id }), Code.PermissionDenied);
      const alices = await alice.project.list({});
      expect(alices.projects.map((p) => p.id)).not.toContain(carolsOwn!.id);
    });
  });

  describe("Update", () => {
    it("applies changes with optimistic locking and keeps names unique", async () => {
      const { project } = await alice.project.create({ tenant: "org", name: "api" });
      const id = project!.id;
      const res = await alice.project.update({
        project: id,
        updateMeta: { generation: 1n },
        description: "the api",
        labels: { update: { tier: "1" } },
      });
      expect(res.project).toMatchObject({ name: "api", description: "the api" });
      expect(res.project?.meta?.generation).toBe(2n);
      await expectCode(
        alice.project.update({ project: id, updateMeta: { generation: 1n }, name: "stale" }),
        Code.FailedPrecondition,
        /was changed by someone else \(generation 2, you read 1\); read it again$/,
      );
      await expectCode(
        alice.project.update({ project: id, updateMeta: { generation: 2n }, name: "web" }),
        Code.AlreadyExists,
        /^name: /,
      );
      expect((await alice.project.get({ project: id })).project?.name).toBe("api");
      await expectCode(bob.project.update({ project: id, updateMeta: {}, name: "x" }), Code.PermissionDenied);
    });
  });

  describe("Delete", () => {
    it("refuses while a deletion guard reports resources, then deletes", async () => {
      const { project } = await alice.project.create({ tenant: "org", name: "guarded" });
      const id = project!.id;
      let widgets = 3;
      const seen: string[] = [];
      const guards = server.ctx.projectDeletionGuards;
      server.ctx.projectDeletionGuards = [
        ...guards,
        async (trx, projectId) => {
          seen.push(projectId);
          const row = await trx
            .selectFrom("projects")
            .select("id")
            .where("id", "=", projectId)
            .executeTakeFirst();
          return row && widgets > 0 ? `${widgets} widgets` : undefined;
        },
      ];
      try {
        await expectCode(
          alice.project.delete({ project: id }),
          Code.FailedPrecondition,
          /still holds 3 widgets/,
        );
        expect(seen).toEqual([id]);
        expect((await alice.project.get({ project: id })).project?.id).toBe(id);
        widgets = 0;
        const res = await alice.project.delete({ project: id });
        expect(res.project?.name).toBe("guarded");
      } finally {
        server.ctx.projectDeletionGuards = guards;
      }
      // alice owns the tenant: depending on how fresh authorization's project cache is, she is told
      // NotFound by the handler or PermissionDenied up front; either way the project is gone.
      const gone = await alice.project.get({ project: id }).catch((e) => ConnectError.from(e));
      expect(gone).toBeInstanceOf(ConnectError);
      expect([Code.NotFound, Code.PermissionDenied]).toContain((gone as ConnectError).code);
      expect((await alice.project.list({})).projects.map((p) => p.id)).not.toContain(id);
    });

    it("needs OWNER", async () => {
      const { project } = await alice.project.create({ tenant: "org", name: "keep" });
      await projectInvite(project!.id, carol, ProjectRole.EDITOR);
      await expectCode(carol.project.delete({ project: project!.id }), Code.PermissionDenied);
    });
  });

  describe("members", () => {
    it("keeps the last owner and applies changes on the next call", async () => {
      const { project } = await alice.project.create({ tenant: "alice", name: "team" });
      const id = project!.id;
      await expectCode(
        alice.project.leave({ project: id }),
        Code.FailedPrecondition,
        /you are the last owner/,
      );
      await expectCode(
        alice.project.memberRemove({ project: id, user: "alice" }),
        Code.FailedPrecondition,
        /last owner/,
      );
      await expectCode(
        alice.project.memberUpdate({ project: id, user: "alice", role: ProjectRole.VIEWER }),
        Code.FailedPrecondition,
        /last owner/,
      );

      await projectInvite(id, carol, ProjectRole.EDITOR);
      await carol.project.update({ project: id, updateMeta: {}, description: "by carol" });
      const { member } = await alice.project.memberUpdate({
        project: id,
        user: "carol",
        role: ProjectRole.VIEWER,
      });
      expect(member).toMatchObject({ user: "carol", role: ProjectRole.VIEWER });
      await expectCode(
        carol.project.update({ project: id, updateMeta: {}, description: "again" }),
        Code.PermissionDenied,
      );
      await carol.project.leave({ project: id });
      await expectCode(carol.project.get({ project: id }), Code.PermissionDenied);
      await expectCode(carol.project.leave({ project: id }), Code.NotFound, /not a direct member/);
    });

    it("tells a member whose access comes from the tenant that it has no direct membership", async () => {
      const { project } = await alice.project.create({ tenant: "org", name: "via-tenant" });
      expect((await bob.project.get({ project: project!.id })).project?.name).toBe("via-tenant");
      await expectCode(bob.project.leave({ project: project!.id }), Code.NotFound, /not a direct member/);
      await expectCode(bob.project.memberList({ project: "no-such-project" }), Code.PermissionDenied);
    });
  });
});
