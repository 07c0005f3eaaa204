import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TokenService } from "../../../src/gen/metalstack/api/v2/token_pb.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import { addUser, bearer } from "../authz/fixtures.js";

describe("login sessions (issueUserSession / refreshUserSession / revokeTokenString)", () => {
  let server: TestServer;
  const client = (token: string) =>
    createClient(
      TokenService,
      createConnectTransport({ baseUrl: server.url, httpVersion: "1.1", interceptors: [bearer(token)] }),
    );
  const list = (token: string) => client(token).list({});
  const codeOf = (p: Promise<unknown>) =>
    p.then(
      () => "ok" as const,
      (e) => ConnectError.from(e).code,
    );

  beforeAll(async () => {
    server = await startTestServer();
    await addUser(server.ctx, "erin");
  });
  afterAll(() => server.close());

  it("issues an 8h user token and a 30-day opaque refresh token stored only hashed", async () => {
    const s = await server.ctx.tokens.issueUserSession("erin", { client: "metalctl" });
    expect(s.accessExpiresAt.getTime() - Date.now()).toBeGreaterThan(7.9 * 3_600_000);
    expect(s.refreshExpiresAt.getTime() - Date.now()).toBeGreaterThan(29.9 * 86_400_000);
    expect(s.refreshToken).toMatch(/^mrt_/);
    const rows = await server.ctx.db.kysely.selectFrom("refresh_tokens").selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(s.refreshToken);
    await expect(list(s.accessToken)).resolves.toBeDefined();
  });

  it("rotates the refresh token, keeping the session's absolute end", async () => {
    const s = await server.ctx.tokens.issueUserSession("erin");
    const next = await server.ctx.tokens.refreshUserSession(s.refreshToken);
    expect(next.refreshToken).not.toBe(s.refreshToken);
    expect(next.refreshExpiresAt.getTime()).toBe(s.refreshExpiresAt.getTime());
    await expect(list(next.accessToken)).resolves.toBeDefined();
  });

  it("revokes the whole session when a rotated refresh token is reused", async () => {
    const s = await server.ctx.tokens.issueUserSession("erin");
    const next = await server.ctx.tokens.refreshUserSession(s.refreshToken);
    await expect(server.ctx.tokens.refreshUserSession(s.refreshToken)).rejects.toMatchObject({
      code: Code.Unauthenticated,
    });
    expect(await codeOf(list(next.accessToken))).toBe(Code.Unauthenticated);
    expect(await codeOf(list(s.accessToken))).toBe(Code.Unauthenticated);
    await expect(server.ctx.tokens.refreshUserSession(next.refreshToken)).rejects.toMatchObject({
      code: Code.Unauthenticated,
    });
  });

  it("rejects unknown refresh tokens and access tokens offered as refresh tokens", async () => {
    const s = await server.ctx.tokens.issueUserSession("erin");
    await expect(server.ctx.tokens.refreshUserSession("mrt_nope")).rejects.toMatchObject({
      code: Code.Unauthenticated,
    });
    await expect(server.ctx.tokens.refreshUserSession(s.accessToken)).rejects.toMatchObject({
      code: Code.Unauthenticated,
    });
  });

  it("revokeTokenString ends the session for an access or a refresh token, and ignores junk", async () => {
    const a = await server.ctx.tokens.issueUserSession("erin");
    expect(await server.ctx.tokens.revokeTokenString(a.accessToken)).toBe(true);
    expect(await codeOf(list(a.accessToken))).toBe(Code.Unauthenticated);
    await expect(server.ctx.tokens.refreshUserSession(a.refreshToken)).rejects.toMatchObject({
      code: Code.Unauthenticated,
    });
    const b = await server.ctx.tokens.issueUserSession("erin");
    expect(await server.ctx.tokens.revokeTokenString(b.refreshToken)).toBe(true);
    expect(await codeOf(list(b.accessToken))).toBe(Code.Unauthenticated);
    expect(await server.ctx.tokens.revokeTokenString("garbage")).toBe(false);
    expect(await server.ctx.tokens.revokeTokenString("mrt_garbage")).toBe(false);
  });

  it("refuses a session of a user that was deleted", async () => {
    await addUser(server.ctx, "gone");
    const s = await server.ctx.tokens.issueUserSession("gone");
    await server.ctx.db.kysely.deleteFrom("users").where("id", "=", "gone").execute();
    server.ctx.tokens.memberships.drop("gone");
    expect(await codeOf(list(s.accessToken))).toBe(Code.Unauthenticated);
    await expect(server.ctx.tokens.refreshUserSession(s.refreshToken)).rejects.toMatchObject({
      code: Code.Unauthenticated,
    });
  });

  it("RevokeAll with login_sessions_only ends every login session of the user and keeps the API tokens", async () => {
    await addUser(server.ctx, "fred");
    const a = await server.ctx.tokens.issueUserSession("fred");
    const b = await server.ctx.tokens.issueUserSession("fred");
    const { secret } = await server.ctx.tokens.issueApiToken({
      userId: "fred",
      description: "ci",
      permissions: [
        {
          subject: "*",
          methods: ["/metalstack.api.v2.TokenService/List", "/metalstack.api.v2.TokenService/RevokeAll"],
        },
      ],
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    const other = await server.ctx.tokens.issueUserSession("erin");

    // An API token may not end its user's login sessions.
    expect(await codeOf(list(secret))).toBe("ok");
    await expect(client(secret).revokeAll({ loginSessionsOnly: true })).rejects.toMatchObject({
      code: Code.PermissionDenied,
      rawMessage: expect.stringContaining("login_sessions_only: an API token cannot end login sessions"),
    });
    expect(await codeOf(list(b.accessToken))).toBe("ok");

    const res = await client(a.accessToken).revokeAll({ loginSessionsOnly: true });
    expect(res.revoked).toBe(2);
    for (const s of [a, b]) {
      expect(await codeOf(list(s.accessToken))).toBe(Code.Unauthenticated);
      await expect(server.ctx.tokens.refreshUserSession(s.refreshToken)).rejects.toMatchObject({
        code: Code.Unauthenticated,
      });
    }
    expect(await codeOf(list(secret))).toBe("ok");
    expect(await codeOf(list(other.accessToken))).toBe("ok");
    await expect(server.ctx.tokens.refreshUserSession(other.refreshToken)).resolves.toBeDefined();
  });
  it("TokenService/Revoke of a login token ends its session: the refresh token no longer works", async () => {
    const s = await server.ctx.tokens.issueUserSession("erin");
    const other = await server.ctx.tokens.issueUserSession("erin");
    const uuid = decodeJwt(s.accessToken).jti as string;
    await client(s.accessToken).revoke({ uuid });
    expect(await codeOf(list(s.accessToken))).toBe(Code.Unauthenticated);
    await expect(server.ctx.tokens.refreshUserSession(s.refreshToken)).rejects.toMatchObject({
      code: Code.Unauthenticated,
    });
    // Another login session of the same user is not touched.
    await expect(server.ctx.tokens.refreshUserSession(other.refreshToken)).resolves.toBeDefined();
  });

  it("a refresh that started before logout --all (or a session revoke) yields no working session after it", async () => {
    await addUser(server.ctx, "gina");
    const store = server.ctx.tokens.store;
    const insertRefresh = store.insertRefresh;
    for (const revokeWhilePaused of [
      () => server.ctx.tokens.revokeUserSessions("gina"),
      async (s: { accessToken: string }) => {
        await client(s.accessToken).revoke({ uuid: decodeJwt(s.accessToken).jti as string });
      },
    ]) {
      const s = await server.ctx.tokens.issueUserSession("gina");
      // Hold the refresh right after it exchanged the old refresh token, before it stores the new ones.
      let reached!: () => void;
      const atInsert = new Promise<void>((r) => {
        reached = r;
      });
      let release!: () => void;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      store.insertRefresh = async (record) => {
        reached();
        await gate;
        return insertRefresh.call(store, record);
      };
      try {
        const refreshing = server.ctx.tokens.refreshUserSession(s.refreshToken).then(
          (next) => ({ next }),
          (e: unknown) => ({ code: ConnectError.from(e).code }),
        );
        await atInsert;
        await revokeWhilePaused(s);
        release();
        const outcome = await refreshing;
        expect(outcome).toEqual({ code: Code.Unauthenticated });
      } finally {
        store.insertRefresh = insertRefresh;
      }
      const sessions = await server.ctx.tokens.store.list({ userId: "gina", now: new Date() });
      expect(sessions).toEqual([]);
    }
  });
  it("a whole refresh that runs in the middle of revoking every token of a user leaves nothing working", async () => {
    await addUser(server.ctx, "hank");
    const store = server.ctx.tokens.store;
    const { revoke, revokeRefreshOfUser } = store;
    const s = await server.ctx.tokens.issueUserSession("hank");
    // Pause revokeUser between its two steps (whichever comes second) and refresh meanwhile.
    let steps = 0;
    let refreshed: Promise<unknown> | undefined;
    const between = async () => {
      if (++steps !== 2) return;
      refreshed = server.ctx.tokens.refreshUserSession(s.refreshToken).then(
        (next) => next,
        (e: unknown) => ConnectError.from(e).code,
      );
      await refreshed;
    };
    store.revoke = async (filter, at) => {
      if ("userId" in filter) await between();
      return revoke.call(store, filter, at);
    };
    store.revokeRefreshOfUser = async (userId, at) => {
      await between();
      return revokeRefreshOfUser.call(store, userId, at);
    };
    try {
      await server.ctx.tokens.revokeUser("hank");
    } finally {
      store.revoke = revoke;
      store.revokeRefreshOfUser = revokeRefreshOfUser;
    }
    expect(await refreshed).toBe(Code.Unauthenticated);
    const alive = await server.ctx.tokens.store.list({ userId: "hank", now: new Date() });
    expect(alive).toEqual([]);
  });
});
