import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminRole, ProjectRole, TenantRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import { expectCode } from "./expect-code.js";
import { type Caller, login } from "./fixture.js";

describe("admin TenantService and ProjectService", () => {
  let server: TestServer;
  let viewer: Caller;
  let editor: Caller;
  let alice: Caller;
  beforeAll(async () => {
    server = await startTestServer();
    viewer = await login(server, "op-viewer", AdminRole.VIEWER);
    editor = await login(server, "op-editor", AdminRole.EDITOR);
    alice = await login(server, "alice");
    for (const id of ["t-a", "t-b", "t-c"]) await alice.tenant.create({ id, name: `Tenant ${id}` });
    await alice.project.create({ tenant: "t-a", name: "one" });
    await alice.project.create({ tenant: "t-a", name: "two" });
    await alice.project.create({ tenant: "t-b", name: "three" });
  });
  afterAll(() => server.close());

  it("pages through every tenant", async () => {
    const seen: string[] = [];
    let pageToken = "";
    let pages = 0;
    do {
      const res = await viewer.adminTenant.list({ paging: { pageSize: 2, pageToken } });
      expect(res.tenants.length).toBeLessThanOrEqual(2);
      seen.push(...res.tenants.map((t) => t.id));
      pageToken = res.nextPageToken;
      pages++;
    } while (pageToken && pages < 10);
    // every user's personal tenant plus the three organisations, in id order
    const all = (await viewer.adminTenant.list({})).tenants.map((t) => t.id);
    expect(seen).toEqual(all);
    expect(all).toEqual(expect.arrayContaining(["alice", "op-viewer", "op-editor", "t-a", "t-b", "t-c"]));
    expect([...all].sort()).toEqual(all);
  });

  it("filters tenants by id and name and rejects bad paging", async () => {
    expect((await viewer.adminTenant.list({ id: "t-b" })).tenants.map((t) => t.id)).toEqual(["t-b"]);
    expect((await viewer.adminTenant.list({ name: "Tenant t-c" })).tenants.map((t) => t.id)).toEqual(["t-c"]);
    await expectCode(
      viewer.adminTenant.list({ paging: { pageToken: "%%%" } }),
      Code.InvalidArgument,
      /^paging.page_token: /,
    );
    await expectCode(
      viewer.adminTenant.list({ paging: { pageSize: 5000 } }),
      Code.InvalidArgument,
      /^paging.page_size: /,
    );
  });

  it("creates a tenant for an owner, for admin editors only", async () => {
    const { tenant } = await editor.adminTenant.create({ owner: "alice", name: "Made For Alice" });
    expect(tenant).toMatchObject({ id: "made-for-alice", createdBy: "alice", personal: false });
    const { user } = await alice.user.get({});
    expect(user?.tenants.find((t) => t.tenant === "made-for-alice")?.role).toBe(TenantRole.OWNER);
    await expectCode(
      editor.adminTenant.create({ owner: "nobody", name: "Orphan" }),
      Code.NotFound,
      /^owner: /,
    );
    await expectCode(
      editor.adminTenant.create({ owner: "", name: "Orphan" }),
      Code.InvalidArgument,
      /^owner: /,
    );
    await expectCode(viewer.adminTenant.create({ owner: "alice", name: "Nope" }), Code.PermissionDenied);
    await expectCode(alice.adminTenant.list({}), Code.PermissionDenied);
  });

  it("lists all projects, optionally of one tenant", async () => {
    const all = await viewer.adminProject.list({});
    expect(all.projects.map((p) => p.name).sort()).toEqual(["one", "three", "two"]);
    const ofA = await viewer.adminProject.list({ tenant: "t-a" });
    expect(ofA.projects.map((p) => p.name).sort()).toEqual(["one", "two"]);
    const first = await viewer.adminProject.list({ paging: { pageSize: 2 } });
    expect(first.projects).toHaveLength(2);
    const rest = await viewer.adminProject.list({ paging: { pageSize: 2, pageToken: first.nextPageToken } });
    expect(rest.projects).toHaveLength(1);
    expect(rest.nextPageToken).toBe("");
    await expectCode(alice.adminProject.list({}), Code.PermissionDenied);
  });

  it("member RPCs on a project or tenant that does not exist are NotFound naming it, after the role check", async () => {
    const ghost = "00000000-0000-4000-8000-000000000000";
    await expectCode(
      editor.project.memberList({ project: ghost }),
      Code.NotFound,
      /project "0{8}-.*" not found/,
    );
    await expectCode(
      editor.project.memberUpdate({ project: ghost, user: "alice", role: ProjectRole.VIEWER }),
      Code.NotFound,
      /project "0{8}-.*" not found/,
    );
    await expectCode(
      editor.project.memberRemove({ project: ghost, user: "alice" }),
      Code.NotFound,
      /^project /,
    );
    await expectCode(
      editor.tenant.memberList({ tenant: "t-nope" }),
      Code.NotFound,
      /tenant "t-nope" not found/,
    );
    await expectCode(
      editor.tenant.memberUpdate({ tenant: "t-nope", user: "alice", role: TenantRole.VIEWER }),
      Code.NotFound,
      /tenant "t-nope" not found/,
    );
    // Without a role there, nothing tells whether it exists.
    await expectCode(alice.project.memberList({ project: ghost }), Code.PermissionDenied);
    await expectCode(
      alice.tenant.memberUpdate({ tenant: "t-nope", user: "alice", role: TenantRole.VIEWER }),
      Code.PermissionDenied,
    );
  });

  it("refuses a project list filter naming a tenant that does not exist, after the role check", async () => {
    await expectCode(
      viewer.adminProject.list({ tenant: "t-nope" }),
      Code.NotFound,
      /^tenant: tenant "t-nope" not found; name a tenant by its ID \(metalctl admin tenant list\)/,
    );
    // Who may not list projects at all learns nothing about which tenants exist.
    await expectCode(alice.adminProject.list({ tenant: "t-nope" }), Code.PermissionDenied);
  });
});
