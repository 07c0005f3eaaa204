import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ProjectRole, TenantRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import { expectCode } from "./expect-code.js";
import { type Caller, login } from "./fixture.js";

const MINUTE = 60_000;

describe("invites", () => {
  let server: TestServer;
  let alice: Caller;
  let bob: Caller;
  let carol: Caller;
  let clock: number;
  let projectId: string;
  beforeAll(async () => {
    clock = Date.now();
    server = await startTestServer({}, { now: () => new Date(clock) });
    alice = await login(server, "alice");
    bob = await login(server, "bob");
    carol = await login(server, "carol");
    await alice.tenant.create({ id: "org", name: "Org" });
    projectId = (await alice.project.create({ tenant: "org", name: "web" })).project!.id;
  });
  afterAll(() => server.close());

  describe("tenant", () => {
    it("grants the invited role once; reuse, wrong and withdrawn secrets are refused", async () => {
      const res = await alice.tenant.invite({ tenant: "org", role: TenantRole.EDITOR });
      expect(res.secret).toMatch(/^mti_[A-Za-z0-9_-]{43}$/);
      expect(res.invite).toMatchObject({
        tenant: "org",
        tenantName: "Org",
        role: TenantRole.EDITOR,
        createdBy: "alice",
      });

      await expectCode(bob.tenant.get({ tenant: "org" }), Code.PermissionDenied);
      const accepted = await bob.tenant.inviteAccept({ secret: res.secret });
      expect(accepted).toMatchObject({ tenant: "org", tenantName: "Org", role: TenantRole.EDITOR });
      expect((await bob.tenant.get({ tenant: "org" })).tenant?.id).toBe("org");

      await expectCode(
        carol.tenant.inviteAccept({ secret: res.secret }),
        Code.FailedPrecondition,
        /already used/,
      );
      await expectCode(carol.tenant.inviteAccept({ secret: `${res.secret.slice(0, -2)}xx` }), Code.NotFound);
      await expectCode(carol.tenant.inviteAccept({ secret: "" }), Code.InvalidArgument, /^secret: /);
      await expectCode(carol.tenant.inviteAccept({ secret: "guess" }), Code.InvalidArgument, /^secret: /);

      const withdrawn = await alice.tenant.invite({ tenant: "org", role: TenantRole.VIEWER });
      await alice.tenant.inviteDelete({ tenant: "org", id: withdrawn.invite!.id });
      await expectCode(carol.tenant.inviteAccept({ secret: withdrawn.secret }), Code.NotFound);
      await expectCode(carol.tenant.get({ tenant: "org" }), Code.PermissionDenied);
    });

    it("refuses an expired invite", async () => {
      const expiresAt = timestampFromDate(new Date(clock + MINUTE));
      const { secret } = await alice.tenant.invite({ tenant: "org", role: TenantRole.VIEWER, expiresAt });
      clock += 2 * MINUTE;
      await expectCode(carol.tenant.inviteAccept({ secret }), Code.FailedPrecondition, /expired/);
      await expectCode(carol.tenant.get({ tenant: "org" }), Code.PermissionDenied);
    });

    it("validates role and expiry", async () => {
      const past = timestampFromDate(new Date(clock - MINUTE));
      const far = timestampFromDate(new Date(clock + 31 * 24 * 60 * MINUTE));
      await expectCode(
        alice.tenant.invite({ tenant: "org", role: TenantRole.VIEWER, expiresAt: past }),
        Code.InvalidArgument,
        /^expires_at: .*in the past/,
      );
      await expectCode(
        alice.tenant.invite({ tenant: "org", role: TenantRole.VIEWER, expiresAt: far }),
        Code.InvalidArgument,
        /^expires_at: /,
      );
      await expectCode(
        alice.tenant.invite({ tenant: "org", role: TenantRole.UNSPECIFIED }),
        Code.InvalidArgument,
        /^role: /,
      );
    });

    it("lists open invites without secrets, to owners only", async () => {
      const { secret, invite } = await alice.tenant.invite({ tenant: "org", role: TenantRole.VIEWER });
      const { invites } = await alice.tenant.inviteList({ tenant: "org" });
      expect(invites.map((i) => i.id)).toContain(invite!.id);
      expect(JSON.stringify(invites, (_k, v) => (typeof v === "bigint" ? String(v) : v))).not.toContain(
        secret.slice(4),
      );
      await expectCode(bob.tenant.inviteList({ tenant: "org" }), Code.PermissionDenied);
      await expectCode(bob.tenant.invite({ tenant: "org", role: TenantRole.OWNER }), Code.PermissionDenied);
      await expectCode(alice.tenant.inviteDelete({ tenant: "org", id: "nope" }), Code.NotFound);
      await expectCode(carol.tenant.inviteDelete({ tenant: "carol", id: invite!.id }), Code.NotFound);
    });

    it("never lowers a role the member already has", async () => {
      const { secret } = await alice.tenant.invite({ tenant: "org", role: TenantRole.VIEWER });
      const res = await bob.tenant.inviteAccept({ secret });
      expect(res.role).toBe(TenantRole.EDITOR);
    });

    it("lets exactly one of concurrent accepts win", async () => {
      const { secret } = await alice.tenant.invite({ tenant: "org", role: TenantRole.VIEWER });
      const results = await Promise.allSettled([
        carol.tenant.inviteAccept({ secret }),
        carol.tenant.inviteAccept({ secret }),
        carol.tenant.inviteAccept({ secret }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    });
  });

  describe("project", () => {
    beforeEach(() => {
      clock = Math.max(clock, Date.now());
    });

    it("grants the invited role once; reuse, wrong kind and expiry are refused", async () => {
      const res = await alice.project.invite({ project: projectId, role: ProjectRole.VIEWER });
      expect(res.secret).toMatch(/^mpi_/);
      expect(res.invite).toMatchObject({
        project: projectId,
        projectName: "web",
        tenant: "org",
        role: ProjectRole.VIEWER,
      });
      const outsider = await login(server, "dave");
      await expectCode(outsider.project.get({ project: projectId }), Code.PermissionDenied);
      const accepted = await outsider.project.inviteAccept({ secret: res.secret });
      expect(accepted).toMatchObject({
        project: projectId,
        projectName: "web",
        tenant: "org",
        role: ProjectRole.VIEWER,
      });
      expect((await outsider.project.get({ project: projectId })).project?.name).toBe("web");
      await expectCode(
        outsider.project.inviteAccept({ secret: res.secret }),
        Code.FailedPrecondition,
        /already used/,
      );

      const tenantSecret = (await alice.tenant.invite({ tenant: "org", role: TenantRole.VIEWER })).secret;
      await expectCode(
        outsider.project.inviteAccept({ secret: tenantSecret }),
        Code.InvalidArgument,
        /tenant invite/,
      );
      await expectCode(
        outsider.tenant.inviteAccept({ secret: res.secret }),
        Code.InvalidArgument,
        /project invite/,
      );

      const expiresAt = timestampFromDate(new Date(clock + MINUTE));
      const late = await alice.project.invite({ project: projectId, role: ProjectRole.OWNER, expiresAt });
      clock += 2 * MINUTE;
      await expectCode(
        outsider.project.inviteAccept({ secret: late.secret }),
        Code.FailedPrecondition,
        /expired/,
      );
      const { members } = await alice.project.memberList({ project: projectId });
      expect(members.find((m) => m.user === "dave")?.role).toBe(ProjectRole.VIEWER);
    });

    it("lists and withdraws invites, owners only", async () => {
      const { invite, secret } = await alice.project.invite({ project: projectId, role: ProjectRole.EDITOR });
      const { invites } = await alice.project.inviteList({ project: projectId });
      expect(invites.map((i) => i.id)).toContain(invite!.id);
      expect(JSON.stringify(invites, (_k, v) => (typeof v === "bigint" ? String(v) : v))).not.toContain(
        secret.slice(4),
      );
      await expectCode(
        bob.project.invite({ project: projectId, role: ProjectRole.OWNER }),
        Code.PermissionDenied,
      );
      await alice.project.inviteDelete({ project: projectId, id: invite!.id });
      await expectCode(bob.project.inviteAccept({ secret }), Code.NotFound);
      await expectCode(alice.project.inviteDelete({ project: projectId, id: invite!.id }), Code.NotFound);
    });
  });
});
