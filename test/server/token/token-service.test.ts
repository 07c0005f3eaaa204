import { toJsonString } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TokenService as AdminTokenService } from "../../../src/gen/metalstack/admin/v2/token_pb.js";
import { AdminRole, ProjectRole, TenantRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { MethodService } from "../../../src/gen/metalstack/api/v2/method_pb.js";
import { TokenServiceListResponseSchema, TokenType } from "../../../src/gen/metalstack/api/v2/token_pb.js";
import { ensureUser } from "../../../src/server/tenancy/users.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import {
  addUser,
  bearer,
  FOREIGN_PROJECT,
  OWN_PROJECT,
  OWN_TENANT,
  seedScopes,
  setProjectRole,
  setTenantRole,
} from "../authz/fixtures.js";
import { codeOf, tokenClient } from "./token-client.js";

const TOKEN_LIST = "/metalstack.api.v2.TokenService/List";
const TOKEN_CREATE = "/metalstack.api.v2.TokenService/Create";
const HOUR = 3_600_000;
const inHours = (h: number) => timestampFromDate(new Date(Date.now() + h * HOUR));

describe("TokenService", () => {
  let server: TestServer;
  let alice: string;
  const tokens = (token: string) => tokenClient(server.url, token);

  beforeAll(async () => {
    server = await startTestServer({ maxTokenLifetimeMs: 24 * HOUR });
    await seedScopes(server.ctx);
    // alice: EDITOR on her project, VIEWER on her tenant, no admin role.
    await addUser(server.ctx, "alice");
    await setProjectRole(server.ctx, "alice", OWN_PROJECT, ProjectRole.EDITOR);
    await setTenantRole(server.ctx, "alice", OWN_TENANT, TenantRole.VIEWER);
    alice = (await server.ctx.tokens.issueUserSession("alice")).accessToken;
  });
  afterAll(() => server.close());

  it("creates a narrowed token, returns its secret once and lists it without", async () => {
    const res = await tokens(alice).create({
      description: "ci",
      permissions: [{ subject: "*", methods: [TOKEN_LIST] }],
      projectRoles: { [OWN_PROJECT]: ProjectRole.VIEWER },
      expires: inHours(1),
    });
    expect(res.secret.split(".")).toHaveLength(3);
    expect(res.token?.tokenType).toBe(TokenType.API);
    const listed = await tokens(res.secret).list({});
    const mine = listed.tokens.find((t) => t.uuid === res.token?.uuid);
    expect(mine?.projectRoles).toEqual({ [OWN_PROJECT]: ProjectRole.VIEWER });
    expect(toJsonString(TokenServiceListResponseSchema, listed)).not.toContain(res.secret);
    // The token was not granted Create, so it cannot mint tokens.
    expect(await codeOf(tokens(res.secret).create({ expires: inHours(1) }))).toBe(Code.PermissionDenied);
  });

  it.each([
    [
      "a method the caller cannot call (admin method)",
      { permissions: [{ subject: "*", methods: ["/metalstack.admin.v2.TokenService/List"] }] },
    ],
    [
      "a method on a subject the caller has no role on",
      { permissions: [{ subject: FOREIGN_PROJECT, methods: ["/metalstack.api.v2.ProjectService/Get"] }] },
    ],
    [
      'a project method on every subject ("*")',
      { permissions: [{ subject: "*", methods: ["/metalstack.api.v2.ProjectService/Get"] }] },
    ],
    ["a higher project role than held", { projectRoles: { [OWN_PROJECT]: ProjectRole.OWNER } }],
    ["a role on a foreign project", { projectRoles: { [FOREIGN_PROJECT]: ProjectRole.VIEWER } }],
    ["a higher tenant role than held", { tenantRoles: { [OWN_TENANT]: TenantRole.EDITOR } }],
    ["an admin role by a non-admin", { adminRole: AdminRole.VIEWER }],
  ])("refuses to grant %s", async (_name, grants) => {
    expect(await codeOf(tokens(alice).create({ description: "x", ...grants, expires: inHours(1) }))).toBe(
      Code.PermissionDenied,
    );
  });

  it("refuses grants on a project or tenant that does not exist, naming it, even for an admin", async () => {
    await ensureUser(server.ctx, { id: "grant-ops", name: "ops", email: "", adminRole: AdminRole.EDITOR });
    const ops = (await server.ctx.tokens.issueUserSession("grant-ops")).accessToken;
    const cases: [object, RegExp][] = [
      [
        { projectRoles: { nosuch: ProjectRole.VIEWER } },
        /^project_roles\["nosuch"\]: project "nosuch" does not exist/,
      ],
      [
        { tenantRoles: { nosuch: TenantRole.VIEWER } },
        /^tenant_roles\["nosuch"\]: tenant "nosuch" does not exist/,
      ],
      [
        { permissions: [{ subject: "nosuch", methods: ["/metalstack.api.v2.ProjectService/Get"] }] },
        /^permissions\[0\]\.subject: project "nosuch" does not exist/,
      ],
    ];
    for (const [grants, message] of cases) {
      const err = await tokens(ops)
        .create({ description: "x", ...grants, expires: inHours(1) })
        .catch((e) => ConnectError.from(e));
      expect(err).toMatchObject({ code: Code.NotFound });
      expect((err as ConnectError).rawMessage).toMatch(message);
    }
    // Who holds no role there learns nothing about whether it exists.
    expect(
      await codeOf(
        tokens(alice).create({ projectRoles: { nosuch: ProjectRole.VIEWER }, expires: inHours(1) }),
      ),
    ).toBe(Code.PermissionDenied);
  });

  it("refuses unknown methods and roles with InvalidArgument naming the field", async () => {
    const err = await tokens(alice)
      .create({ permissions: [{ subject: "*", methods: ["/nope.Service/Get"] }], expires: inHours(1) })
      .catch((e) => ConnectError.from(e));
    expect(err).toMatchObject({ code: Code.InvalidArgument });
    expect((err as ConnectError).rawMessage).toMatch(/permissions\[0\]\.methods\[0\]/);
  });

  it("requires an expiry within the maximum lifetime", async () => {
    const missing = await tokens(alice)
      .create({ description: "x" })
      .catch((e) => ConnectError.from(e));
    expect(missing).toMatchObject({ code: Code.InvalidArgument });
    expect((missing as ConnectError).rawMessage).toMatch(/^expires: required/);
    expect(await codeOf(tokens(alice).create({ expires: inHours(25) }))).toBe(Code.InvalidArgument);
    expect(await codeOf(tokens(alice).create({ expires: inHours(-1) }))).toBe(Code.InvalidArgument);
  });

  it("never lets a token created by an API token outlive it", async () => {
    const parent = await tokens(alice).create({
      permissions: [{ subject: "*", methods: [TOKEN_CREATE] }],
      expires: inHours(1),
    });
    expect(await codeOf(tokens(parent.secret).create({ expires: inHours(2) }))).toBe(Code.PermissionDenied);
    const child = await tokens(parent.secret).create({ expires: inHours(0.5) });
    expect(child.token?.uuid).toBeTruthy();
    // A child of an API token gets nothing its parent lacks: the parent holds no project role.
    expect(
      await codeOf(
        tokens(parent.secret).create({
          projectRoles: { [OWN_PROJECT]: ProjectRole.VIEWER },
          expires: inHours(0.5),
        }),
      ),
    ).toBe(Code.PermissionDenied);
  });

  it("refuses an update that escalates and applies optimistic locking", async () => {
    const made = await tokens(alice).create({
      projectRoles: { [OWN_PROJECT]: ProjectRole.VIEWER },
      expires: inHours(1),
    });
    const uuid = made.token?.uuid ?? "";
    expect(
      await codeOf(
        tokens(alice).update({
          uuid,
          updateMeta: { generation: 1n },
          grants: { projectRoles: { [OWN_PROJECT]: ProjectRole.OWNER }, tenantRoles: {}, permissions: [] },
        }),
      ),
    ).toBe(Code.PermissionDenied);
    expect(
      await codeOf(tokens(alice).update({ uuid, updateMeta: { generation: 1n }, expires: inHours(30) })),
    ).toBe(Code.InvalidArgument);
    const ok = await tokens(alice).update({ uuid, updateMeta: { generation: 1n }, description: "renamed" });
    expect(ok.token?.description).toBe("renamed");
    expect(
      await codeOf(tokens(alice).update({ uuid, updateMeta: { generation: 1n }, description: "again" })),
    ).toBe(Code.FailedPrecondition);
    expect(await codeOf(tokens(alice).update({ uuid, description: "no meta" }))).toBe(Code.InvalidArgument);
  });

  it("refresh rotates: the new secret works, the old one is revoked", async () => {
    const made = await tokens(alice).create({
      permissions: [{ subject: "*", methods: [TOKEN_LIST] }],
      expires: inHours(1),
    });
    const refreshed = await tokens(alice).refresh({ uuid: made.token?.uuid ?? "" });
    expect(refreshed.token?.uuid).not.toBe(made.token?.uuid);
    expect(refreshed.token?.permissions[0]?.methods).toEqual([TOKEN_LIST]);
    await expect(tokens(refreshed.secret).list({})).resolves.toBeDefined();
    expect(await codeOf(tokens(made.secret).list({}))).toBe(Code.Unauthenticated);
  });

  it("revokes one token and all of them, effective on the next request", async () => {
    await addUser(server.ctx, "bob");
    const bob = (await server.ctx.tokens.issueUserSession("bob")).accessToken;
    const t1 = await tokens(bob).create({
      permissions: [{ subject: "*", methods: [TOKEN_LIST] }],
      expires: inHours(1),
    });
    await tokens(bob).revoke({ uuid: t1.token?.uuid ?? "" });
    expect(await codeOf(tokens(t1.secret).list({}))).toBe(Code.Unauthenticated);
    const t2 = await tokens(bob).create({
      permissions: [{ subject: "*", methods: [TOKEN_LIST] }],
      expires: inHours(1),
    });
    const all = await tokens(bob).revokeAll({});
    expect(all.revoked).toBeGreaterThanOrEqual(2);
    expect(await codeOf(tokens(t2.secret).list({}))).toBe(Code.Unauthenticated);
    expect(await codeOf(tokens(bob).list({}))).toBe(Code.Unauthenticated);
  });

  it("hides other users' tokens: NotFound, never a leak", async () => {
    await addUser(server.ctx, "carol");
    const carol = (await server.ctx.tokens.issueUserSession("carol")).accessToken;
    const theirs = await tokens(alice).create({ expires: inHours(1) });
    expect(await codeOf(tokens(carol).get({ uuid: theirs.token?.uuid ?? "" }))).toBe(Code.NotFound);
    expect(await codeOf(tokens(carol).revoke({ uuid: theirs.token?.uuid ?? "" }))).toBe(Code.NotFound);
    expect(await codeOf(tokens(carol).get({ uuid: "00000000-0000-0000-0000-000000000000" }))).toBe(
      Code.NotFound,
    );
  });

  it("applies a downgrade to existing API tokens on the next request", async () => {
    await addUser(server.ctx, "dave");
    await setProjectRole(server.ctx, "dave", OWN_PROJECT, ProjectRole.OWNER);
    const dave = (await server.ctx.tokens.issueUserSession("dave")).accessToken;
    const t = await tokens(dave).create({
      projectRoles: { [OWN_PROJECT]: ProjectRole.OWNER },
      permissions: [{ subject: "*", methods: ["/metalstack.api.v2.MethodService/TokenScopedList"] }],
      expires: inHours(1),
    });
    const methods = createClient(
      MethodService,
      createConnectTransport({ baseUrl: server.url, httpVersion: "1.1", interceptors: [bearer(t.secret)] }),
    );
    const before = await methods.tokenScopedList({});
    const ownBefore = before.permissions.find((p) => p.subject === OWN_PROJECT)?.methods ?? [];
    expect(ownBefore).toContain("/metalstack.api.v2.ProjectService/Delete");
    await setProjectRole(server.ctx, "dave", OWN_PROJECT, ProjectRole.VIEWER);
    const after = await methods.tokenScopedList({});
    const ownAfter = after.permissions.find((p) => p.subject === OWN_PROJECT)?.methods ?? [];
    expect(ownAfter).not.toContain("/metalstack.api.v2.ProjectService/Delete");
    expect(ownAfter).toContain("/metalstack.api.v2.ProjectService/Get");
  });

  it("lets admins list and revoke anyone's tokens, and nobody else", async () => {
    await addUser(server.ctx, "root", AdminRole.EDITOR);
    const root = (await server.ctx.tokens.issueUserSession("root")).accessToken;
    const admin = (token: string) =>
      createClient(
        AdminTokenService,
        createConnectTransport({ baseUrl: server.url, httpVersion: "1.1", interceptors: [bearer(token)] }),
      );
    const victim = await tokens(alice).create({ expires: inHours(1) });
    const listed = await admin(root).list({ user: "alice" });
    expect(listed.tokens.map((t) => t.uuid)).toContain(victim.token?.uuid);
    expect(listed.tokens.every((t) => t.user === "alice")).toBe(true);
    expect(await codeOf(admin(alice).list({}))).toBe(Code.PermissionDenied);
    await admin(root).revoke({ uuid: victim.token?.uuid ?? "" });
    expect(await codeOf(tokens(victim.secret).list({}))).toBe(Code.Unauthenticated);
  });
});
