import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TenantRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import { expectCode } from "./expect-code.js";
import { type Caller, login } from "./fixture.js";

describe("TenantService", () => {
  let server: TestServer;
  let alice: Caller;
  let bob: Caller;
  let carol: Caller;
  beforeAll(async () => {
    server = await startTestServer();
    alice = await login(server, "alice");
    bob = await login(server, "bob");
    carol = await login(server, "carol");
  });
  afterAll(() => server.close());

  /** join makes `who` a member of `tenant` with `role` through an invite from alice. */
  async function join(tenant: string, who: Caller, role: TenantRole) {
    const { secret } = await alice.tenant.invite({ tenant, role });
    await who.tenant.inviteAccept({ secret });
  }

  describe("Create", () => {
    it("derives the id from the name and makes the caller owner", async () => {
      const { tenant } = await alice.tenant.create({
        name: "Ächme Corp. 2",
        description: "d",
        labels: { a: "b" },
      });
      expect(tenant).toMatchObject({
        id: "achme-corp-2",
        name: "Ächme Corp. 2",
        personal: false,
        createdBy: "alice",
      });
      expect(tenant?.meta?.generation).toBe(1n);
      expect(tenant?.meta?.labels).toEqual({ a: "b" });
      const { members } = await alice.tenant.memberList({ tenant: "achme-corp-2" });
      expect(members.map((m) => [m.user, m.role])).toEqual([["alice", TenantRole.OWNER]]);
    });

    it("takes an explicit slug and refuses duplicates and user ids", async () => {
      await bob.tenant.create({ id: "bob-org", name: "Bob's" });
      await expectCode(
        alice.tenant.create({ id: "bob-org", name: "x" }),
        Code.AlreadyExists,
        /^id: .*bob-org/,
      );
      await expectCode(alice.tenant.create({ id: "carol", name: "x" }), Code.AlreadyExists, /^id: /);
    });

    it("names the bad field", async () => {
      await expectCode(alice.tenant.create({ name: "  " }), Code.InvalidArgument, /^name: must not be empty/);
      await expectCode(alice.tenant.create({ id: "Bad_Slug", name: "x" }), Code.InvalidArgument, /^id: /);
      await expectCode(alice.tenant.create({ id: "-x", name: "x" }), Code.InvalidArgument, /^id: /);
      await expectCode(alice.tenant.create({ name: "!!" }), Code.InvalidArgument, /^id: cannot derive/);
      await expectCode(
        alice.tenant.create({ name: "Mail", email: "nope" }),
        Code.InvalidArgument,
        /^email: /,
      );
    });
  });

  it("lists only the caller's tenants and hides foreign ones", async () => {
    await carol.tenant.create({ id: "carol-secret", name: "Carol's secret" });
    const { tenants } = await bob.tenant.list({});
    expect(tenants.map((t) => t.id)).toEqual(["bob", "bob-org"]);
    await expectCode(bob.tenant.get({ tenant: "carol-secret" }), Code.PermissionDenied);
    await expectCode(bob.tenant.memberList({ tenant: "carol-secret" }), Code.PermissionDenied);
  });

  describe("Update", () => {
    it("applies changes with optimistic locking", async () => {
      await alice.tenant.create({ id: "locky", name: "Locky", labels: { keep: "1", drop: "2" } });
      const first = await alice.tenant.update({
        tenant: "locky",
        updateMeta: { generation: 1n },
        description: "new",
        labels: { update: { added: "3" }, remove: ["drop"] },
      });
      expect(first.tenant).toMatchObject({ name: "Locky", description: "new" });
      expect(first.tenant?.meta?.generation).toBe(2n);
      expect(first.tenant?.meta?.labels).toEqual({ keep: "1", added: "3" });
      await expectCode(
        alice.tenant.update({ tenant: "locky", updateMeta: { generation: 1n }, name: "stale" }),
        Code.FailedPrecondition,
        /^tenant "locky" was changed by someone else \(generation 2, you read 1\); read it again$/,
      );
      const forced = await alice.tenant.update({
        tenant: "locky",
        updateMeta: { generation: 0n },
        name: "Forced",
      });
      expect(forced.tenant?.meta?.generation).toBe(3n);
      const { tenant } = await alice.tenant.get({ tenant: "locky" });
      expect(tenant?.name).toBe("Forced");
    });

    it("needs OWNER and validates fields", async () => {
      await join("locky", bob, TenantRole.EDITOR);
      await expectCode(
        bob.tenant.update({ tenant: "locky", updateMeta: {}, name: "mine" }),
        Code.PermissionDenied,
      );
      expect((await bob.tenant.get({ tenant: "locky" })).tenant?.name).toBe("Forced");
      await expectCode(
        alice.tenant.update({ tenant: "locky", updateMeta: {}, name: "" }),
        Code.InvalidArgument,
        /^name: /,
      );
    });
  });

  describe("Delete", () => {
    it("refuses personal tenants", async () => {
      await expectCode(alice.tenant.delete({ tenant: "alice" }), Code.FailedPrecondition, /personal tenant/);
    });

    it("refuses while projects exist, then deletes and drops the members' access", async () => {
      await alice.tenant.create({ id: "doomed", name: "Doomed" });
      await join("doomed", bob, TenantRole.VIEWER);
      const { project } = await alice.project.create({ tenant: "doomed", name: "p" });
      await expectCode(
        alice.tenant.delete({ tenant: "doomed" }),
        Code.FailedPrecondition,
        /still has a project/,
      );
      await expectCode(bob.tenant.delete({ tenant: "doomed" }), Code.PermissionDenied);
      await alice.project.delete({ project: project!.id });
      const { tenant } = await alice.tenant.delete({ tenant: "doomed" });
      expect(tenant?.id).toBe("doomed");
      await expectCode(bob.tenant.get({ tenant: "doomed" }), Code.PermissionDenied);
      expect((await bob.tenant.list({})).tenants.map((t) => t.id)).not.toContain("doomed");
    });
  });

  describe("members", () => {
    it("keeps the last owner: no downgrade, removal or leaving", async () => {
      await alice.tenant.create({ id: "solo", name: "Solo" });
      await expectCode(
        alice.tenant.memberUpdate({ tenant: "solo", user: "alice", role: TenantRole.EDITOR }),
        Code.FailedPrecondition,
        /last owner/,
      );
      await expectCode(
        alice.tenant.memberRemove({ tenant: "solo", user: "alice" }),
        Code.FailedPrecondition,
        /last owner/,
      );
      await expectCode(
        alice.tenant.leave({ tenant: "solo" }),
        Code.FailedPrecondition,
        /you are the last owner/,
      );
      await expectCode(alice.tenant.leave({ tenant: "alice" }), Code.FailedPrecondition, /last owner/);
    });

    it("lets an owner step down once another owner exists", async () => {
      await join("solo", bob, TenantRole.VIEWER);
      const { member } = await alice.tenant.memberUpdate({
        tenant: "solo",
        user: "bob",
        role: TenantRole.OWNER,
      });
      expect(member).toMatchObject({ user: "bob", role: TenantRole.OWNER, name: "User bob" });
      await alice.tenant.memberUpdate({ tenant: "solo", user: "alice", role: TenantRole.VIEWER });
      await expectCode(
        alice.tenant.update({ tenant: "solo", updateMeta: {}, name: "x" }),
        Code.PermissionDenied,
      );
      await expectCode(
        bob.tenant.memberUpdate({ tenant: "solo", user: "bob", role: TenantRole.EDITOR }),
        Code.FailedPrecondition,
        /last owner/,
      );
      await alice.tenant.leave({ tenant: "solo" });
      const { members } = await bob.tenant.memberList({ tenant: "solo" });
      expect(members.map((m) => m.user)).toEqual(["bob"]);
    });

    it("takes role changes and removals effect on the very next call", async () => {
      await alice.tenant.create({ id: "instant", name: "Instant" });
      await join("instant", carol, TenantRole.OWNER);
      await carol.tenant.update({ tenant: "instant", updateMeta: {}, description: "as owner" });
      await alice.tenant.memberUpdate({ tenant: "instant", user: "carol", role: TenantRole.VIEWER });
      await expectCode(
        carol.tenant.update({ tenant: "instant", updateMeta: {}, description: "still owner?" }),
        Code.PermissionDenied,
      );
      expect((await carol.tenant.get({ tenant: "instant" })).tenant?.description).toBe("as owner");
      await alice.tenant.memberRemove({ tenant: "instant", user: "carol" });
      await expectCode(carol.tenant.get({ tenant: "instant" }), Code.PermissionDenied);
    });

    it("answers unknown members and bad roles clearly", async () => {
      await expectCode(
        alice.tenant.memberUpdate({ tenant: "instant", user: "nobody", role: TenantRole.VIEWER }),
        Code.NotFound,
        /not a member/,
      );
      await expectCode(
        alice.tenant.memberUpdate({ tenant: "instant", user: "alice", role: TenantRole.UNSPECIFIED }),
        Code.InvalidArgument,
        /^role: /,
      );
      await expectCode(
        alice.tenant.memberUpdate({ tenant: "instant", user: "alice", role: 42 as TenantRole }),
        Code.InvalidArgument,
        /^role: /,
      );
      await expectCode(bob.tenant.leave({ tenant: "instant" }), Code.NotFound, /you are not a member/);
    });
  });
});
