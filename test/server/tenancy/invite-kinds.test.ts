import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProjectRole, TenantRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import { expectCode } from "./expect-code.js";
import { type Caller, login } from "./fixture.js";

// The tenant and project member/invite RPCs share one implementation; these cases pin what differs
// between the two kinds and the exact answers each kind gives.
describe("member and invite RPCs per subject kind", () => {
  let server: TestServer;
  let alice: Caller;
  let bob: Caller;
  let carol: Caller;
  let project: string;
  const exactly = (s: string) => new RegExp(`^${s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);

  beforeAll(async () => {
    server = await startTestServer();
    alice = await login(server, "alice");
    bob = await login(server, "bob");
    carol = await login(server, "carol");
    await alice.tenant.create({ id: "org", name: "Org" });
    project = (await alice.project.create({ tenant: "org", name: "web" })).project!.id;
    const { secret } = await alice.tenant.invite({ tenant: "org", role: TenantRole.OWNER });
    await bob.tenant.inviteAccept({ secret });
  });
  afterAll(() => server.close());

  it("lets a project invite's creator join the project through it", async () => {
    // bob reaches the project as tenant owner only, so he may invite, and take his own invite.
    const { members: before } = await alice.project.memberList({ project });
    expect(before.map((m) => m.user)).toEqual(["alice"]);
    const { secret } = await bob.project.invite({ project, role: ProjectRole.EDITOR });
    const accepted = await bob.project.inviteAccept({ secret });
    expect(accepted).toMatchObject({ project, projectName: "web", tenant: "org", role: ProjectRole.EDITOR });
    const { members } = await alice.project.memberList({ project });
    expect(members.map((m) => [m.user, m.role])).toEqual([
      ["alice", ProjectRole.OWNER],
      ["bob", ProjectRole.EDITOR],
    ]);
    await bob.project.leave({ project });
  });

  it("lets a tenant invite's creator use it only when it changes nothing", async () => {
    const { secret } = await bob.tenant.invite({ tenant: "org", role: TenantRole.VIEWER });
    const accepted = await bob.tenant.inviteAccept({ secret });
    expect(accepted).toMatchObject({ tenant: "org", tenantName: "Org", role: TenantRole.OWNER });
    await expectCode(bob.tenant.inviteAccept({ secret }), Code.FailedPrecondition, /already used/);
    const { members } = await alice.tenant.memberList({ tenant: "org" });
    expect(members.find((m) => m.user === "bob")?.role).toBe(TenantRole.OWNER);
  });

  it("names the kind in secret errors", async () => {
    const tenantSecret = (await alice.tenant.invite({ tenant: "org", role: TenantRole.VIEWER })).secret;
    const projectSecret = (await alice.project.invite({ project, role: ProjectRole.VIEWER })).secret;
    for (const accept of [carol.tenant.inviteAccept, carol.project.inviteAccept]) {
      await expectCode(
        accept({ secret: "" }),
        Code.InvalidArgument,
        exactly("secret: must not be empty; paste the secret you were given"),
      );
    }
    await expectCode(
      carol.tenant.inviteAccept({ secret: "guess" }),
      Code.InvalidArgument,
      exactly("secret: this is not a tenant invite secret"),
    );
    await expectCode(
      carol.project.inviteAccept({ secret: "guess" }),
      Code.InvalidArgument,
      exactly("secret: this is not a project invite secret"),
    );
    await expectCode(
      carol.tenant.inviteAccept({ secret: projectSecret }),
      Code.InvalidArgument,
      exactly("secret: this is a project invite; accept it with the project invite command"),
    );
    await expectCode(
      carol.project.inviteAccept({ secret: tenantSecret }),
      Code.InvalidArgument,
      exactly("secret: this is a tenant invite; accept it with the tenant invite command"),
    );
    await expectCode(
      carol.project.inviteAccept({ secret: `${projectSecret.slice(0, -2)}xx` }),
      Code.NotFound,
      exactly("invite not found: the secret is wrong or the invite was withdrawn"),
    );
    await expectCode(carol.project.get({ project }), Code.PermissionDenied);
    await expectCode(carol.tenant.get({ tenant: "org" }), Code.PermissionDenied);
  });

  it("names the subject and the role enum of its kind", async () => {
    await expectCode(
      alice.tenant.inviteDelete({ tenant: "org", id: "nope" }),
      Code.NotFound,
      exactly('tenant "org" has no open invite "nope"'),
    );
    await expectCode(
      alice.project.inviteDelete({ project, id: "nope" }),
      Code.NotFound,
      exactly(`project "${project}" has no open invite "nope"`),
    );
    await expectCode(
      alice.project.invite({ project, role: ProjectRole.UNSPECIFIED }),
      Code.InvalidArgument,
      exactly("role: must be one of PROJECT_ROLE_OWNER, PROJECT_ROLE_EDITOR, PROJECT_ROLE_VIEWER"),
    );
    await expectCode(
      alice.tenant.invite({ tenant: "org", role: TenantRole.UNSPECIFIED }),
      Code.InvalidArgument,
      exactly("role: must be one of TENANT_ROLE_OWNER, TENANT_ROLE_EDITOR, TENANT_ROLE_VIEWER"),
    );
    await expectCode(
      alice.tenant.memberUpdate({ tenant: "org", user: "carol", role: TenantRole.VIEWER }),
      Code.NotFound,
      exactly('user "carol" is not a member of tenant "org"'),
    );
    await expectCode(
      alice.project.memberRemove({ project, user: "carol" }),
      Code.NotFound,
      exactly(`user "carol" is not a direct member of project "${project}"`),
    );
    await expectCode(
      bob.project.memberUpdate({ project, user: "alice", role: ProjectRole.VIEWER }),
      Code.FailedPrecondition,
      exactly(
        `user "alice" is the last owner of project "${project}" and cannot be downgraded; make another member owner first`,
      ),
    );
    await expectCode(
      alice.project.memberUpdate({ project, user: "", role: ProjectRole.VIEWER }),
      Code.InvalidArgument,
      exactly("user: must not be empty"),
    );
  });
});
