import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runJanitor } from "../../src/server/janitor.js";
import { createLogger } from "../../src/server/log.js";
import { PRUNE_BATCH } from "../../src/server/store/prune.js";
import type { AuditLogRow } from "../../src/server/store/token-schema.js";
import { KEEP_AFTER_EXPIRY_MS } from "../../src/server/token/token-store.js";
import { startDialectServer } from "../helpers/dialect-server.js";
import { startTestServer, type TestServer } from "../helpers/start-server.js";
import { projectOwner } from "./catalog/callers.js";
import { DIALECTS } from "./network/stores.js";
import { failure } from "./tenancy/expect-code.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** LONG is the lifetime of the tokens that outlive the test's first steps. */
const LONG = 30 * DAY;

describe.each(DIALECTS)("janitor on %s", (dialect, run) => {
  let server: TestServer;
  let clock: number;
  let tenant: string;
  let project: string;

  const db = () => server.ctx.db.kysely;
  const at = (offsetMs: number) => new Date(clock + offsetMs).toISOString();
  const ids = async (table: "tokens" | "tenant_invites" | "project_invites" | "audit_log") =>
    (await db().selectFrom(table).select("id").execute()).map((r) => r.id).sort();

  function invite(id: string, expiresInMs: number) {
    return {
      id,
      role: 1,
      secret_hash: crypto.randomBytes(32).toString("hex"),
      expires_at: at(expiresInMs),
      created_by: "jan-alice",
      created_at: at(-DAY),
      accepted_by: null,
      accepted_at: null,
    };
  }

  function auditRow(id: string, ageMs: number): AuditLogRow {
    return {
      id,
      time: at(-ageMs),
      user_id: "jan-alice",
      token_id: "",
      method: "/metalstack.api.v2.IPService/Create",
      subject: project,
      tenant: "jan-alice",
      project,
      code: "ok",
      duration_ms: 1,
      client_address: "127.0.0.1",
      request_id: id,
      request: "{}",
    };
  }

  /** apiToken issues an API token of jan-alice that expires `lifetimeMs` after the test clock. */
  const apiToken = (description: string, lifetimeMs: number) =>
    server.ctx.tokens.issueApiToken({
      userId: "jan-alice",
      description,
      expiresAt: new Date(clock + lifetimeMs),
    });
  const rejection = async (p: Promise<unknown>): Promise<string> => (await failure(p)).rawMessage;

  beforeAll(async () => {
    if (!run) return;
    clock = Date.parse("2031-06-01T12:00:00.000Z");
    // The SQL token store on purpose (no Redis), and a clock the test moves.
    server = await startDialectServer(
      dialect,
      { redisUrl: "", auditRetentionMs: 90 * DAY },
      { now: () => new Date(clock) },
    );
    const alice = await projectOwner(server, "jan-alice");
    tenant = alice.userId;
    project = alice.project;
  });
  afterAll(async () => {
    await server?.close();
  });

  it.runIf(run)(
    "deletes what expired, keeps what lives and a revocation until its token expires",
    async () => {
      const tokens = server.ctx.tokens;
      const live = await apiToken("live", LONG);
      const revokedLive = await apiToken("revoked, valid for weeks", LONG);
      await tokens.store.revoke({ id: revokedLive.token.id }, new Date(clock));
      const soon = await apiToken("soon", HOUR);
      const revokedSoon = await apiToken("revoked, expires soon", HOUR);
      await tokens.store.revoke({ id: revokedSoon.token.id }, new Date(clock));
      // A session with its rotated (used) refresh token: reuse detection needs it while the session lasts.
      const session = await tokens.issueUserSession("jan-alice");
      const rotated = await tokens.refreshUserSession(session.refreshToken);
      await db()
        .insertInto("tenant_invites")
        .values([
          { ...invite("ti-expired", MINUTE), tenant_id: tenant },
          { ...invite("ti-live", DAY), tenant_id: tenant },
        ])
        .execute();
      await db()
        .insertInto("project_invites")
        .values([
          { ...invite("pi-expired", MINUTE), project_id: project },
          {
            ...invite("pi-accepted-expired", MINUTE),
            project_id: project,
            accepted_by: "x",
            accepted_at: at(-HOUR),
          },
          { ...invite("pi-live", DAY), project_id: project },
        ])
        .execute();
      await server.ctx.loginState.put("device:expired", { user: "x" }, MINUTE);
      await server.ctx.loginState.put("device:live", { user: "y" }, 3 * HOUR);
      await db()
        .insertInto("idp_models")
        .values([
          {
            model: "AuthorizationCode",
            id: "c-old",
            payload: "{}",
            grant_id: null,
            user_code: null,
            uid: null,
            expires_at: at(MINUTE),
          },
          {
            model: "DeviceCode",
            id: "d-live",
            payload: "{}",
            grant_id: null,
            user_code: "ABCD",
            uid: null,
            expires_at: at(DAY),
          },
          {
            model: "Client",
            id: "never",
            payload: "{}",
            grant_id: null,
            user_code: null,
            uid: null,
            expires_at: null,
          },
        ])
        .execute();
      await db()
        .insertInto("audit_log")
        .values([auditRow("a-old", 90 * DAY - HOUR), auditRow("a-edge", 89 * DAY), auditRow("a-new", MINUTE)])
        .execute();

      // Everything above is still valid now (the start-up run may still be going); two hours later the
      // "soon" tokens, the short invites, login state and code, and the oldest audit row are past it.
      const t0 = clock;
      clock = t0 + 2 * HOUR;
      const counts = await runJanitor(server.ctx);
      expect(counts).toEqual({
        // Expired token records stay a while (like in Redis), so they are refused as expired, not unknown.
        tokens: 0,
        refreshTokens: 0,
        tenantInvites: 1,
        projectInvites: 2,
        loginState: 1,
        idpArtifacts: 1,
        auditRows: 1,
      });
      expect(await rejection(tokens.authenticate(soon.secret))).toMatch(/expired/);
      expect(await ids("tenant_invites")).toEqual(["ti-live"]);
      expect(await ids("project_invites")).toEqual(["pi-live"]);
      expect(await server.ctx.loginState.get("device:live")).toEqual({ user: "y" });
      expect(
        (await db().selectFrom("idp_models").select("id").orderBy("id").execute()).map((r) => r.id),
      ).toEqual(["d-live", "never"]);
      expect(await ids("audit_log")).toEqual(["a-edge", "a-new"]);
      // A second run (or another replica right after) finds nothing more.
      expect(Object.values(await runJanitor(server.ctx)).every((n) => n === 0)).toBe(true);

      // A week and a day on, the expired token records go, revoked or not (and the session's first
      // access tokens); the revoked token that is valid for weeks more stays, and stays revoked.
      clock = t0 + 8 * DAY;
      expect((await runJanitor(server.ctx)).tokens).toBeGreaterThanOrEqual(4);
      const left = await ids("tokens");
      expect(left).not.toContain(soon.token.id);
      expect(left).not.toContain(revokedSoon.token.id);
      expect(left).toEqual(expect.arrayContaining([live.token.id, revokedLive.token.id]));
      await expect(tokens.authenticate(live.secret)).resolves.toMatchObject({
        record: { id: live.token.id },
      });
      expect(await rejection(tokens.authenticate(revokedLive.secret))).toMatch(/revoked/);
      expect((await tokens.store.get(revokedLive.token.id))?.revokedAt).toBeDefined();
      // The session's used refresh token is still known, so its reuse is detected and ends the session.
      expect(await rejection(tokens.refreshUserSession(session.refreshToken))).toMatch(/already used/);
      expect(await rejection(tokens.refreshUserSession(rotated.refreshToken))).toMatch(/already used/);

      // Only a week after the revoked token has expired anyway does its record go.
      clock = t0 + LONG + 6 * DAY;
      await runJanitor(server.ctx);
      expect((await tokens.store.get(revokedLive.token.id))?.revokedAt).toBeDefined();
      clock = t0 + LONG + 8 * DAY;
      await runJanitor(server.ctx);
      expect(await tokens.store.get(revokedLive.token.id)).toBeUndefined();
      expect(await tokens.store.get(live.token.id)).toBeUndefined();
    },
  );

  it.runIf(run)("keeps a session's refresh tokens until its last access token has expired", async () => {
    const session = await server.ctx.tokens.issueUserSession("jan-alice");
    const left = async () =>
      (
        await db()
          .selectFrom("refresh_tokens")
          .select("hash")
          .where("expires_at", "=", session.refreshExpiresAt.toISOString())
          .execute()
      ).length;
    const end = session.refreshExpiresAt.getTime();
    const lastAccessTokenExpires = end + server.ctx.config.userTokenLifetimeMs;
    clock = lastAccessTokenExpires - MINUTE;
    await runJanitor(server.ctx);
    expect(await left()).toBe(1);
    clock = Math.max(lastAccessTokenExpires, end + KEEP_AFTER_EXPIRY_MS) + MINUTE;
    expect((await runJanitor(server.ctx)).refreshTokens).toBeGreaterThanOrEqual(1);
    expect(await left()).toBe(0);
  });

  it.runIf(run)("honours the audit retention, and 0 keeps audit rows forever", async () => {
    await db()
      .insertInto("audit_log")
      .values([auditRow("r-old", 10 * DAY), auditRow("r-new", DAY)])
      .execute();
    const keepAll = { ...server.ctx, config: { ...server.ctx.config, auditRetentionMs: 0 } };
    expect((await runJanitor(keepAll)).auditRows).toBe(0);
    expect(await ids("audit_log")).toEqual(expect.arrayContaining(["r-new", "r-old"]));
    const week = { ...server.ctx, config: { ...server.ctx.config, auditRetentionMs: 7 * DAY } };
    expect((await runJanitor(week)).auditRows).toBeGreaterThanOrEqual(1);
    const left = await ids("audit_log");
    expect(left).toContain("r-new");
    expect(left).not.toContain("r-old");
  });

  it.runIf(run)("lets replicas run at once: every old row goes exactly once, in batches", async () => {
    const rows = Array.from({ length: 2 * PRUNE_BATCH + 17 }, (_, i) => auditRow(`bulk-${i}`, 100 * DAY));
    for (let i = 0; i < rows.length; i += 500) {
      await db()
        .insertInto("audit_log")
        .values(rows.slice(i, i + 500))
        .execute();
    }
    const keep = auditRow("bulk-keep", DAY);
    await db().insertInto("audit_log").values(keep).execute();
    const results = await Promise.all([
      runJanitor(server.ctx),
      runJanitor(server.ctx),
      runJanitor(server.ctx),
    ]);
    expect(results.reduce((sum, r) => sum + r.auditRows, 0)).toBe(rows.length);
    expect((await ids("audit_log")).filter((id) => id.startsWith("bulk-"))).toEqual(["bulk-keep"]);
  });
});

describe("janitor at start-up", () => {
  it("runs once when the server starts and logs how many rows it removed, nothing else", async () => {
    const lines: string[] = [];
    const server = await startTestServer(
      { redisUrl: "" },
      { log: createLogger("info", (l) => lines.push(l)) },
    );
    // close() waits for the run in progress, so its log line is there afterwards.
    await server.close();
    const runs = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === "janitor removed expired rows");
    expect(runs).toHaveLength(1);
    const { time: _t, level, msg: _m, durationMs, ...counts } = runs[0];
    expect(level).toBe("info");
    expect(typeof durationMs).toBe("number");
    expect(Object.keys(counts).sort()).toEqual(
      [
        "auditRows",
        "idpArtifacts",
        "loginState",
        "projectInvites",
        "refreshTokens",
        "tenantInvites",
        "tokens",
      ].sort(),
    );
    for (const n of Object.values(counts)) expect(typeof n).toBe("number");
  });
});
