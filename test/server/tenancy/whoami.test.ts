import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminRole, ProjectRole, TenantRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import { type Caller, clientsFor, login } from "./fixture.js";

describe("UserService.Get (whoami)", () => {
  let server: TestServer;
  let alice: Caller;
  let bob: Caller;
  beforeAll(async () => {
    server = await startTestServer();
    alice = await login(server, "alice", AdminRole.VIEWER);
    bob = await login(server, "bob");
  });
  afterAll(() => server.close());

  it("shows identity, admin role and the personal tenant of a new user", async () => {
    const { user } = await alice.user.get({});
    expect(user).toMatchObject({
      id: "alice",
      name: "User alice",
      email: "alice@example.com",
      adminRole: AdminRole.VIEWER,
    });
    expect(user?.tenants.map((t) => [t.tenant, t.role, t.personal])).toEqual([
      ["alice", TenantRole.OWNER, true],
    ]);
    expect(user?.projects).toEqual([]);
  });

  it("lists direct projects and projects implied by tenant roles, marked as such", async () => {
    const { tenant } = await alice.tenant.create({ name: "Whoami Org" });
    const org = tenant!.id;
    const { project: viaTenant } = await alice.project.create({ tenant: org, name: "implied" });
    const { project: own } = await bob.project.create({ tenant: "bob", name: "bobs" });
    // bob joins alice's org as viewer, and alice's project directly as editor
    const t = await alice.tenant.invite({ tenant: org, role: TenantRole.VIEWER });
    await bob.tenant.inviteAccept({ secret: t.secret });
    const p = await alice.project.invite({ project: viaTenant!.id, role: ProjectRole.EDITOR });
    await bob.project.inviteAccept({ secret: p.secret });
    const { project: other } = await alice.project.create({ tenant: org, name: "other" });

    const { user } = await bob.user.get({});
    expect(user?.tenants.map((t) => [t.tenant, t.role, t.personal])).toEqual([
      ["bob", TenantRole.OWNER, true],
      [org, TenantRole.VIEWER, false],
    ]);
    const byId = new Map(user?.projects.map((p) => [p.project, p]));
    expect(byId.get(own!.id)).toMatchObject({
      role: ProjectRole.OWNER,
      tenant: "bob",
      impliedByTenant: false,
    });
    expect(byId.get(viaTenant!.id)).toMatchObject({ role: ProjectRole.EDITOR, impliedByTenant: false });
    expect(byId.get(other!.id)).toMatchObject({
      role: ProjectRole.VIEWER,
      tenant: org,
      name: "other",
      impliedByTenant: true,
    });
    expect(user?.projects).toHaveLength(3);
  });

  it("refuses anonymous callers", async () => {
    const err = await clientsFor(server, undefined)
      .user.get({})
      .catch((e) => e);
    expect(ConnectError.from(err).code).toBe(Code.Unauthenticated);
  });
});
