import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TenantRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import { expectCode } from "./expect-code.js";
import { type Caller, clientsFor, login } from "./fixture.js";

describe("tenancy with API tokens", () => {
  let server: TestServer;
  let alice: Caller;
  beforeAll(async () => {
    server = await startTestServer();
    alice = await login(server, "alice");
    await alice.tenant.create({ id: "org", name: "Org" });
  });
  afterAll(() => server.close());

  async function apiToken(input: {
    tenantRoles?: Record<string, number>;
    permissions?: { subject: string; methods: string[] }[];
  }) {
    const { secret } = await server.ctx.tokens.issueApiToken({
      userId: "alice",
      description: "ci",
      expiresAt: new Date(Date.now() + 60 * 60 * 1000),
      ...input,
    });
    return clientsFor(server, secret);
  }

  it("a tenant-role token cannot leave, accept invites or create tenants on the user's behalf", async () => {
    const ci = await apiToken({ tenantRoles: { org: TenantRole.OWNER } });
    expect((await ci.tenant.get({ tenant: "org" })).tenant?.id).toBe("org");
    await expectCode(ci.tenant.leave({ tenant: "org" }), Code.PermissionDenied);
    await expectCode(ci.tenant.create({ name: "Sneaky" }), Code.PermissionDenied);
    const { secret } = await alice.tenant.invite({ tenant: "org", role: TenantRole.VIEWER });
    await expectCode(ci.tenant.inviteAccept({ secret }), Code.PermissionDenied);
    await expectCode(ci.user.get({}), Code.PermissionDenied);
    expect((await alice.tenant.memberList({ tenant: "org" })).members.map((m) => m.user)).toEqual(["alice"]);
  });

  it("a viewer-role token reads but cannot change the tenant", async () => {
    const ci = await apiToken({ tenantRoles: { org: TenantRole.VIEWER } });
    expect((await ci.tenant.memberList({ tenant: "org" })).members).toHaveLength(1);
    await expectCode(ci.tenant.update({ tenant: "org", updateMeta: {}, name: "x" }), Code.PermissionDenied);
    await expectCode(ci.tenant.invite({ tenant: "org", role: TenantRole.OWNER }), Code.PermissionDenied);
    await expectCode(ci.project.create({ tenant: "org", name: "p" }), Code.PermissionDenied);
  });

  it("a token granted whoami explicitly may call it", async () => {
    const ci = await apiToken({
      permissions: [{ subject: "*", methods: ["/metalstack.api.v2.UserService/Get"] }],
    });
    expect((await ci.user.get({})).user?.id).toBe("alice");
  });
});
