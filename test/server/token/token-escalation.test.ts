import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TokenService as AdminTokenService } from "../../../src/gen/metalstack/admin/v2/token_pb.js";
import { AdminRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { TokenType } from "../../../src/gen/metalstack/api/v2/token_pb.js";
import { createLocalUser } from "../../../src/idp/local-users.js";
import { defaultIdentityConfig } from "../../../src/server/oauth/identity-config.js";
import { idpDeps } from "../../../src/server/oauth/runtime.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import { addUser, bearer } from "../authz/fixtures.js";
import { postForm } from "../oauth/cli-side.js";
import { browserLoginTokens, deviceLoginTokens, type TokenAnswer } from "../oauth/password-login.js";
import { codeOf, tokenClient } from "./token-client.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const PASSWORD = "Correct-Horse-42";
/** A login session lasts 30 days, however often it is refreshed. */
const SESSION_MS = 30 * 24 * HOUR;
const method = (m: string) => `/metalstack.api.v2.TokenService/${m}`;

/**
 * Every path that produces a token, attacked over the wire: a token can never become more than it is
 * (power, lifetime) nor act on tokens it neither is nor created.
 */
describe("a token can never become more than it is", { timeout: 120_000 }, () => {
  let server: TestServer;
  let offsetMs = 0;
  let alice: string;
  const now = () => Date.now() + offsetMs;
  const inMinutes = (m: number) => timestampFromDate(new Date(now() + m * MINUTE));
  const tokens = (token: string) => tokenClient(server.url, token);
  const uuidOf = (jwt: string) => decodeJwt(jwt).jti ?? "";
  const expiryOf = (jwt: string) => (decodeJwt(jwt).exp ?? 0) * 1000;
  /** apiToken lets `parent` create a token granted the TokenService methods `methods`, living `minutes`. */
  const apiToken = async (parent: string, methods: string[], minutes: number) => {
    const res = await tokens(parent).create({
      description: methods.join(","),
      permissions: [{ subject: "*", methods: methods.map(method) }],
      expires: inMinutes(minutes),
    });
    return { secret: res.secret, uuid: res.token?.uuid ?? "" };
  };

  beforeAll(async () => {
    server = await startTestServer(
      { identity: { ...defaultIdentityConfig(), devicePollIntervalSeconds: 1 } },
      { now: () => new Date(now()) },
    );
    await addUser(server.ctx, "alice");
    alice = (await server.ctx.tokens.issueUserSession("alice")).accessToken;
    await createLocalUser(idpDeps(server.ctx), {
      id: "lou",
      displayName: "Lou",
      email: "",
      roles: [],
      password: PASSWORD,
      mustChangePassword: false,
    });
  });
  afterAll(() => server?.close());

  it("refuses to turn a user's login session into a user token for a narrowed API token", async () => {
    // The attack of the issue: 10 minutes, TokenService/List and /Refresh only.
    const narrow = await apiToken(alice, ["List", "Refresh"], 10);
    const listed = await tokens(narrow.secret).list({});
    expect(listed.tokens.map((t) => t.uuid)).not.toContain(uuidOf(alice));
    expect(await codeOf(tokens(narrow.secret).refresh({ uuid: uuidOf(alice) }))).toBe(Code.NotFound);
    // The login session is untouched.
    await expect(tokens(alice).list({})).resolves.toBeDefined();
  });

  it("lets an API token act only on itself and the tokens created from it", async () => {
    const sibling = await apiToken(alice, ["List"], 60);
    const actor = await apiToken(alice, ["List", "Get", "Refresh", "Update", "Revoke", "Create"], 30);
    const asActor = tokens(actor.secret);
    expect((await asActor.list({})).tokens.map((t) => t.uuid)).not.toContain(sibling.uuid);
    expect(await codeOf(asActor.get({ uuid: sibling.uuid }))).toBe(Code.NotFound);
    expect(await codeOf(asActor.refresh({ uuid: sibling.uuid }))).toBe(Code.NotFound);
    expect(
      await codeOf(
        asActor.update({ uuid: sibling.uuid, updateMeta: { generation: 0n }, description: "mine" }),
      ),
    ).toBe(Code.NotFound);
    expect(await codeOf(asActor.revoke({ uuid: sibling.uuid }))).toBe(Code.NotFound);
    await expect(tokens(sibling.secret).list({})).resolves.toBeDefined();
    // Its own child it may refresh, but never past its own expiry.
    const child = await apiToken(actor.secret, ["List"], 20);
    expect((await asActor.list({})).tokens.map((t) => t.uuid)).toContain(child.uuid);
    expect(await codeOf(asActor.refresh({ uuid: child.uuid, expires: inMinutes(45) }))).toBe(
      Code.PermissionDenied,
    );
    const renewed = await asActor.refresh({ uuid: child.uuid });
    await expect(tokens(renewed.secret).list({})).resolves.toBeDefined();
    expect(await codeOf(tokens(child.secret).list({}))).toBe(Code.Unauthenticated);
  });

  it("lets a login token refresh only itself, never another login session", async () => {
    const other = (await server.ctx.tokens.issueUserSession("alice")).accessToken;
    expect(await codeOf(tokens(alice).refresh({ uuid: uuidOf(other) }))).toBe(Code.NotFound);
    await expect(tokens(other).list({})).resolves.toBeDefined();
  });

  it("revokes every token created from a revoked one, transitively and with refreshed successors", async () => {
    const parent = await apiToken(alice, ["List", "Create", "Refresh"], 60);
    const child = await apiToken(parent.secret, ["List", "Create", "Refresh"], 50);
    const grandchild = await apiToken(child.secret, ["List"], 40);
    const renewedChild = await tokens(child.secret).refresh({});
    const unrelated = await apiToken(alice, ["List"], 60);
    await tokens(alice).revoke({ uuid: parent.uuid });
    for (const t of [parent.secret, renewedChild.secret, grandchild.secret]) {
      expect(await codeOf(tokens(t).list({}))).toBe(Code.Unauthenticated);
    }
    await expect(tokens(unrelated.secret).list({})).resolves.toBeDefined();
  });

  it("cascades revocations by an operator and at the OAuth revocation endpoint too", async () => {
    await addUser(server.ctx, "root", AdminRole.EDITOR);
    const root = (await server.ctx.tokens.issueUserSession("root")).accessToken;
    const admin = createClient(
      AdminTokenService,
      createConnectTransport({ baseUrl: server.url, httpVersion: "1.1", interceptors: [bearer(root)] }),
    );
    const byAdmin = await apiToken(alice, ["List", "Create"], 60);
    const byAdminChild = await apiToken(byAdmin.secret, ["List"], 30);
    await admin.revoke({ uuid: byAdmin.uuid });
    expect(await codeOf(tokens(byAdminChild.secret).list({}))).toBe(Code.Unauthenticated);
    const byRfc = await apiToken(alice, ["List", "Create"], 60);
    const byRfcChild = await apiToken(byRfc.secret, ["List"], 30);
    expect((await postForm(`${server.url}/auth/revoke`, { token: byRfc.secret })).status).toBe(200);
    expect(await codeOf(tokens(byRfcChild.secret).list({}))).toBe(Code.Unauthenticated);
  });

  it("lets RevokeAll with an API token end only that token and what it created", async () => {
    const t = await apiToken(alice, ["List", "Create", "RevokeAll"], 60);
    const child = await apiToken(t.secret, ["List"], 30);
    const sibling = await apiToken(alice, ["List"], 60);
    await tokens(t.secret).revokeAll({});
    expect(await codeOf(tokens(child.secret).list({}))).toBe(Code.Unauthenticated);
    await expect(tokens(sibling.secret).list({})).resolves.toBeDefined();
    await expect(tokens(alice).list({})).resolves.toBeDefined();
  });

  describe("no token outlives the login session it came from", () => {
    const refreshGrant = (refreshToken: string) =>
      postForm(`${server.url}/auth/token`, {
        grant_type: "refresh_token",
        client_id: "metalctl",
        refresh_token: refreshToken,
      });
    /** nearSessionEnd moves the clock to an hour before the session of `login` ends, refreshes and checks. */
    const expectBoundedBySession = async (login: TokenAnswer) => {
      expect(login.status).toBe(200);
      const sessionEnd = expiryOf(String(login.body.access_token)) - 8 * HOUR + SESSION_MS;
      offsetMs += sessionEnd - HOUR - now();
      const refreshed = await refreshGrant(String(login.body.refresh_token));
      expect(refreshed.status).toBe(200);
      const access = String(refreshed.body.access_token);
      expect(expiryOf(access)).toBeLessThanOrEqual(sessionEnd + 1000);
      expect(Number(refreshed.body.expires_in)).toBeLessThanOrEqual(HOUR / 1000 + 1);
      // TokenService/Refresh of that user token is held to the same end.
      const again = await tokens(access).refresh({});
      expect(again.token?.tokenType).toBe(TokenType.USER);
      expect(expiryOf(again.secret)).toBeLessThanOrEqual(sessionEnd + 1000);
      expect(await codeOf(tokens(again.secret).refresh({ expires: inMinutes(120) }))).toBe(
        Code.PermissionDenied,
      );
    };

    it("after a browser login", async () => {
      await expectBoundedBySession(await browserLoginTokens(server.url, "lou", PASSWORD));
    });

    it("after a device login", async () => {
      await expectBoundedBySession(await deviceLoginTokens(server.url, "lou", PASSWORD));
    });
  });
});
