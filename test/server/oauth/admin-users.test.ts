import { Code, ConnectError, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OidcClientService } from "../../../src/gen/metalstack/admin/v2/oidc_client_pb.js";
import { LocalRole, UserService } from "../../../src/gen/metalstack/admin/v2/user_pb.js";
import { AdminRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { UserService as SelfService } from "../../../src/gen/metalstack/api/v2/user_pb.js";
import { authenticateLocal } from "../../../src/idp/local-users.js";
import { idpDeps } from "../../../src/server/oauth/runtime.js";
import { ensureUser } from "../../../src/server/tenancy/users.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";

const dump = (m: unknown) => JSON.stringify(m, (_k, v) => (typeof v === "bigint" ? v.toString() : v));

describe("admin.v2 UserService and OidcClientService", () => {
  let server: TestServer;
  const logLines: string[] = [];

  const clients = (token?: string) => {
    const bearer: Interceptor = (next) => (req) => {
      if (token) req.header.set("authorization", `Bearer ${token}`);
      return next(req);
    };
    const transport = createConnectTransport({
      baseUrl: server.url,
      httpVersion: "1.1",
      interceptors: [bearer],
    });
    return {
      users: createClient(UserService, transport),
      oidc: createClient(OidcClientService, transport),
      self: createClient(SelfService, transport),
    };
  };
  const as = async (id: string, adminRole?: AdminRole) => {
    await ensureUser(server.ctx, { id, name: id, email: `${id}@example.com`, adminRole });
    return clients((await server.ctx.tokens.issueUserSession(id)).accessToken);
  };
  const code = async (p: Promise<unknown>) => {
    try {
      await p;
      return undefined;
    } catch (err) {
      return ConnectError.from(err).code;
    }
  };

  beforeAll(async () => {
    server = await startTestServer(
      {},
      {
        stdout: () => {},
        log: {
          debug: (m, f) => logLines.push(JSON.stringify({ m, f })),
          info: (m, f) => logLines.push(JSON.stringify({ m, f })),
          warn: (m, f) => logLines.push(JSON.stringify({ m, f })),
          error: (m, f) => logLines.push(JSON.stringify({ m, f })),
        },
      },
    );
  });
  afterAll(() => server?.close());

  it("manages a local user's whole life without ever returning a password", async () => {
    const admin = await as("ops", AdminRole.EDITOR);
    const created = await admin.users.create({
      id: "frank",
      name: "Frank",
      email: "frank@example.com",
      roles: [LocalRole.READ_ONLY],
      password: "Initial-Secret-99",
    });
    expect(created.user?.mustChangePassword).toBe(true);
    expect(dump(created)).not.toContain("Initial-Secret-99");
    expect((await authenticateLocal(idpDeps(server.ctx), "frank", "Initial-Secret-99")).ok).toBe(true);

    const listed = await admin.users.list({});
    expect(listed.users.map((u) => u.id)).toEqual(["admin", "frank"]);

    // Roles reach an API user that exists already, at once.
    await ensureUser(server.ctx, { id: "frank", name: "Frank", email: "frank@example.com" });
    const generation = created.user!.meta!.generation;
    const updated = await admin.users.update({
      id: "frank",
      updateMeta: { generation },
      roles: { roles: [LocalRole.CLUSTER_ADMIN] },
    });
    expect(updated.user?.roles).toEqual([LocalRole.CLUSTER_ADMIN]);
    const apiUser = await server.ctx.db.kysely
      .selectFrom("users")
      .select("admin_role")
      .where("id", "=", "frank")
      .executeTakeFirstOrThrow();
    expect(apiUser.admin_role).toBe(AdminRole.EDITOR);
    expect(await code(admin.users.update({ id: "frank", updateMeta: { generation }, name: "Stale" }))).toBe(
      Code.FailedPrecondition,
    );

    expect(await code(admin.users.setPassword({ id: "frank", password: "weak" }))).toBe(Code.InvalidArgument);
    const beforeNewPassword = await server.ctx.tokens.issueUserSession("frank");
    await admin.users.setPassword({ id: "frank", password: "Chosen-By-Ops-123", mustChange: false });
    // Setting a password ends the sessions opened with the old one.
    expect(await code(clients(beforeNewPassword.accessToken).self.get({}))).toBe(Code.Unauthenticated);
    expect((await authenticateLocal(idpDeps(server.ctx), "frank", "Chosen-By-Ops-123")).ok).toBe(true);

    const reset = await admin.users.resetPassword({ id: "frank" });
    expect(reset.oneTimePassword.length).toBeGreaterThanOrEqual(20);
    expect(reset.user?.mustChangePassword).toBe(true);
    expect((await authenticateLocal(idpDeps(server.ctx), "frank", reset.oneTimePassword)).ok).toBe(true);

    const franksSession = await server.ctx.tokens.issueUserSession("frank");
    expect((await clients(franksSession.accessToken).self.get({})).user?.id).toBe("frank");
    expect((await admin.users.lock({ id: "frank" })).user?.locked).toBe(true);
    // Locking ends the sessions the user already has.
    expect(await code(clients(franksSession.accessToken).self.get({}))).toBe(Code.Unauthenticated);
    expect((await authenticateLocal(idpDeps(server.ctx), "frank", reset.oneTimePassword)).ok).toBe(false);
    expect((await admin.users.unlock({ id: "frank" })).user?.locked).toBe(false);

    await admin.users.delete({ id: "frank" });
    expect(await code(admin.users.get({ id: "frank" }))).toBe(Code.NotFound);
    for (const secret of ["Initial-Secret-99", "Chosen-By-Ops-123", reset.oneTimePassword]) {
      expect(logLines.join("\n")).not.toContain(secret);
    }
  });

  it("refuses bad input with the field named", async () => {
    const admin = await as("ops", AdminRole.EDITOR);
    const err = await admin.users
      .create({ id: "Bad Name", password: "Initial-Secret-99" })
      .catch((e: unknown) => ConnectError.from(e));
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).code).toBe(Code.InvalidArgument);
    expect((err as ConnectError).rawMessage).toContain("id");
    // Bidi formatting characters would let a login name or display name read as another one.
    for (const bad of [
      { id: "ad\u202emin", name: "Admin" },
      { id: "eve", name: "Eve \u2066(admin)\u2069" },
      { id: "eve", name: "Eve", email: "eve\u200e@example.com" },
    ]) {
      const refused = await admin.users
        .create({ ...bad, password: "Initial-Secret-99" })
        .catch((e: unknown) => ConnectError.from(e));
      expect((refused as ConnectError).code).toBe(Code.InvalidArgument);
      expect((refused as ConnectError).rawMessage).toContain("bidirectional formatting character");
    }
    expect(await code(admin.users.get({ id: "eve" }))).toBe(Code.NotFound);
    // A password is a secret, not a name: its characters are the password policy's business.
    const rtl = await admin.users
      .create({ id: "rtl-pass", password: "Initial-Secret-99\u202e" })
      .catch((e: unknown) => ConnectError.from(e));
    expect(rtl).not.toBeInstanceOf(ConnectError);
    expect(await code(admin.users.create({ id: "admin", password: "Initial-Secret-99" }))).toBe(
      Code.AlreadyExists,
    );
    expect(
      await code(
        admin.users.create({ id: "gina", roles: [LocalRole.UNSPECIFIED], password: "Initial-Secret-99" }),
      ),
    ).toBe(Code.InvalidArgument);
  });

  it("lets viewers read but not change, and refuses anonymous callers", async () => {
    const viewer = await as("auditor", AdminRole.VIEWER);
    expect((await viewer.users.list({})).users.length).toBeGreaterThan(0);
    expect(await code(viewer.users.create({ id: "henry", password: "Initial-Secret-99" }))).toBe(
      Code.PermissionDenied,
    );
    expect(await code(viewer.users.resetPassword({ id: "admin" }))).toBe(Code.PermissionDenied);
    const nobody = await as("plain");
    expect(await code(nobody.users.list({}))).toBe(Code.PermissionDenied);
    expect(await code(clients().users.list({}))).toBe(Code.Unauthenticated);
  });

  it("registers OIDC clients, shows the secret only once, and deletes them", async () => {
    const admin = await as("ops", AdminRole.EDITOR);
    const created = await admin.oidc.create({
      id: "grafana",
      name: "Grafana",
      redirectUris: ["https://grafana.example.com/login/generic_oauth"],
    });
    expect(created.clientSecret.length).toBeGreaterThanOrEqual(32);
    const listed = await admin.oidc.list({});
    expect(listed.clients.map((c) => c.id)).toEqual(["grafana"]);
    expect(dump(listed)).not.toContain(created.clientSecret);
    const pub = await admin.oidc.create({
      id: "admin-ui",
      redirectUris: ["http://127.0.0.1:3000/cb"],
      public: true,
    });
    expect(pub.clientSecret).toBe("");
    expect(await code(admin.oidc.create({ id: "evil", redirectUris: ["http://evil.example/cb"] }))).toBe(
      Code.InvalidArgument,
    );
    expect(await code(admin.oidc.create({ id: "metalctl", redirectUris: ["https://x.example/cb"] }))).toBe(
      Code.InvalidArgument,
    );
    expect(await code(admin.oidc.create({ id: "grafana", redirectUris: ["https://x.example/cb"] }))).toBe(
      Code.AlreadyExists,
    );
    await admin.oidc.delete({ id: "grafana" });
    expect(await code(admin.oidc.delete({ id: "grafana" }))).toBe(Code.NotFound);
  });
});
