import { type Client, Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserService as AdminUserService } from "../../../src/gen/metalstack/admin/v2/user_pb.js";
import { AdminRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { createLocalUser, getLocalUser } from "../../../src/idp/local-users.js";
import { defaultIdentityConfig } from "../../../src/server/oauth/identity-config.js";
import { idpDeps } from "../../../src/server/oauth/runtime.js";
import { ensureUser } from "../../../src/server/tenancy/users.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import { serviceClientForUser } from "../machine/fixture.js";
import { browserLogin, browserLoginTokens } from "../oauth/password-login.js";
import { expectCode } from "./expect-code.js";
import { type Caller, clientsFor, login } from "./fixture.js";

const PASSWORD = "Correct-Horse-42";

describe("nobody can block another user's login by taking its tenant id", { timeout: 120_000 }, () => {
  let server: TestServer;
  let printed = "";
  let mallory: Caller;
  let ops: Client<typeof AdminUserService>;

  beforeAll(async () => {
    server = await startTestServer(
      {},
      {
        stdout: (text) => {
          printed += text;
        },
      },
    );
    mallory = await login(server, "mallory");
    await ensureUser(server.ctx, { id: "ops", name: "ops", email: "", adminRole: AdminRole.EDITOR });
    ops = await serviceClientForUser(server, AdminUserService, "ops");
  });
  afterAll(() => server?.close());

  /** loginSucceeds runs a whole browser login and checks the token it gives names the user. */
  async function loginSucceeds(username: string, password: string) {
    const res = await browserLoginTokens(server.url, username, password);
    expect(res.status).toBe(200);
    const me = await clientsFor(server, String(res.body.access_token)).user.get({});
    expect(me.user?.id).toBe(username);
    return me;
  }

  it("refuses organisation ids of the super-admin and of local users who never logged in", async () => {
    // A local user from before personal tenants were reserved at creation: only its login record exists.
    await createLocalUser(idpDeps(server.ctx), {
      id: "legacy",
      displayName: "Legacy",
      email: "",
      roles: [],
      password: PASSWORD,
      mustChangePassword: false,
    });
    await ops.create({ id: "erin", name: "Erin", email: "erin@example.com", password: PASSWORD, roles: [] });
    for (const id of ["admin", "erin", "legacy"]) {
      await expectCode(
        mallory.tenant.create({ id, name: "mine now" }),
        Code.AlreadyExists,
        /^id: .*reserved/,
      );
    }
    // An id derived from the name is held to the same rule.
    await expectCode(
      mallory.tenant.create({ name: "Admin" }),
      Code.AlreadyExists,
      /^id: "admin" is reserved/,
    );
  });

  it("lets the super-admin and a local user who never logged in log in after the attempt", async () => {
    const oneTime = /one-time password\s+(\S+)/.exec(printed)?.[1] ?? "";
    expect(oneTime).not.toBe("");
    const admin = await loginSucceeds("admin", oneTime);
    expect(admin.user?.adminRole).toBe(AdminRole.EDITOR);
    expect((await mallory.tenant.list({})).tenants.map((t) => t.id)).not.toContain("admin");
    await loginSucceeds("erin", PASSWORD);
    await loginSucceeds("legacy", PASSWORD);
  });

  it("refuses a local user whose id an organisation holds, and creates none", async () => {
    await mallory.tenant.create({ id: "newhire", name: "Squat" });
    await expectCode(
      ops.create({ id: "newhire", name: "New", email: "", password: PASSWORD, roles: [] }),
      Code.AlreadyExists,
      /newhire.*tenant/,
    );
    expect(await getLocalUser(idpDeps(server.ctx), "newhire")).toBeUndefined();
  });

  it("ends a login whose tenant id an organisation took before the fix with a clear refusal, never a 500", async () => {
    // Data written before organisation ids were checked: the tenant exists, the local user too.
    await server.ctx.db.kysely
      .insertInto("tenants")
      .values({
        id: "frank",
        name: "Squatted",
        description: "",
        email: "",
        personal: 0,
        created_by: "mallory",
        generation: 1,
        labels: "{}",
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
      })
      .execute();
    await createLocalUser(idpDeps(server.ctx), {
      id: "frank",
      displayName: "Frank",
      email: "",
      roles: [],
      password: PASSWORD,
      mustChangePassword: false,
    });
    const outcome = await browserLogin(server.url, "frank", PASSWORD);
    expect(outcome).toHaveProperty("callback");
    const { callback } = outcome as { callback: URL };
    expect(callback.searchParams.get("error")).toBe("access_denied");
    expect(callback.searchParams.get("error_description")).toMatch(/tenant with that id already exists/);
    expect(callback.searchParams.get("code")).toBeNull();
  });
});

describe("organisation ids with an external identity provider", () => {
  let servers: TestServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });
  const external = async (userPrefix: string) => {
    const server = await startTestServer({
      identity: { ...defaultIdentityConfig(), issuerUrl: "https://login.example.com", userPrefix },
    });
    servers = [...servers, server];
    return login(server, `${userPrefix}owner`);
  };

  it("refuses every organisation id a user of the provider could have, naming the setting", async () => {
    const owner = await external("");
    await expectCode(
      owner.tenant.create({ id: "acme", name: "Acme" }),
      Code.FailedPrecondition,
      /--oidc-user-prefix/,
    );
  });

  it("allows organisations once the user prefix keeps user ids apart from slugs", async () => {
    const owner = await external("corp:");
    const { tenant } = await owner.tenant.create({ id: "acme", name: "Acme" });
    expect(tenant?.id).toBe("acme");
    await expectCode(owner.tenant.create({ id: "corp:owner", name: "x" }), Code.InvalidArgument, /^id: /);
  });
});
