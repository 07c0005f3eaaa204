import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PermissionDeniedDetailSchema, ProjectRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { HealthService } from "../../../src/gen/metalstack/api/v2/health_pb.js";
import { ProjectService } from "../../../src/gen/metalstack/api/v2/project_pb.js";
import { TokenService } from "../../../src/gen/metalstack/api/v2/token_pb.js";
import { createMemoryRateLimitStore } from "../../../src/server/interceptors/rate-limit.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import {
  addUser,
  bearer,
  FOREIGN_PROJECT,
  MISSING_PROJECT,
  OWN_PROJECT,
  seedScopes,
  setProjectRole,
} from "../authz/fixtures.js";

describe("interceptor chain on the real server", () => {
  let server: TestServer;
  let frank: string;

  beforeAll(async () => {
    server = await startTestServer();
    await seedScopes(server.ctx);
    await addUser(server.ctx, "frank");
    frank = (await server.ctx.tokens.issueUserSession("frank")).accessToken;
  });
  afterAll(() => server.close());

  const project = (token: string) =>
    createClient(
      ProjectService,
      createConnectTransport({ baseUrl: server.url, httpVersion: "1.1", interceptors: [bearer(token)] }),
    );

  it("names the needed role in the message and in a PermissionDeniedDetail", async () => {
    const err = await project(frank)
      .get({ project: FOREIGN_PROJECT })
      .catch((e) => ConnectError.from(e));
    expect(err).toMatchObject({ code: Code.PermissionDenied });
    expect((err as ConnectError).rawMessage).toMatch(/project role OWNER or EDITOR or VIEWER/);
    const [detail] = (err as ConnectError).findDetails(PermissionDeniedDetailSchema);
    expect(detail?.method).toBe("/metalstack.api.v2.ProjectService/Get");
  });

  it("says an API token lacks the grant when its user holds the role, and names the role otherwise", async () => {
    await addUser(server.ctx, "gina");
    await setProjectRole(server.ctx, "gina", OWN_PROJECT, ProjectRole.OWNER);
    const apiToken = async (userId: string) =>
      (
        await server.ctx.tokens.issueApiToken({
          userId,
          description: "ci",
          projectRoles: { [OWN_PROJECT]: ProjectRole.VIEWER },
          expiresAt: new Date(Date.now() + 60 * 60 * 1000),
        })
      ).secret;
    const denied = async (token: string) =>
      (
        (await project(token)
          .update({ project: OWN_PROJECT, description: "x" })
          .catch((e) => ConnectError.from(e))) as ConnectError
      ).findDetails(PermissionDeniedDetailSchema)[0]?.needed;
    expect(await denied(await apiToken("gina"))).toBe(
      `the API token to be granted project role OWNER or EDITOR on project "${OWN_PROJECT}"`,
    );
    // frank holds no role on the project: his token cannot be given one, so the role is what is missing.
    expect(await denied(await apiToken("frank"))).toBe(
      `project role OWNER or EDITOR on project "${OWN_PROJECT}"`,
    );
  });

  it("gives the same answer for a foreign and a nonexistent project", async () => {
    const fail = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e) => ConnectError.from(e),
      );
    const foreign = await fail(project(frank).get({ project: FOREIGN_PROJECT }));
    const missing = await fail(project(frank).get({ project: MISSING_PROJECT }));
    expect(missing?.code).toBe(foreign?.code);
    expect(missing?.rawMessage.replace(MISSING_PROJECT, "X")).toBe(
      foreign?.rawMessage.replace(FOREIGN_PROJECT, "X"),
    );
  });

  it("refuses an empty subject with InvalidArgument naming the field", async () => {
    const err = await project(frank)
      .get({ project: "" })
      .catch((e) => ConnectError.from(e));
    expect(err).toMatchObject({ code: Code.InvalidArgument });
    expect((err as ConnectError).rawMessage).toMatch(/^project: required/);
  });

  it("audits decisions, denials included, with user, method, subject, code and the client address", async () => {
    await project(frank)
      .get({ project: FOREIGN_PROJECT })
      .catch(() => undefined);
    const secret = await createClient(
      TokenService,
      createGrpcTransport({ baseUrl: server.url, interceptors: [bearer(frank)] }),
    ).list({});
    expect(secret).toBeDefined();
    let rows: { user_id: string; method: string; subject: string; code: string; client_address: string }[] =
      [];
    for (let i = 0; i < 50 && !rows.some((r) => r.method.endsWith("TokenService/List")); i++) {
      await new Promise((r) => setTimeout(r, 100));
      rows = await server.ctx.db.kysely
        .selectFrom("audit_log")
        .selectAll()
        .where("user_id", "=", "frank")
        .where("method", "in", [
          "/metalstack.api.v2.ProjectService/Get",
          "/metalstack.api.v2.TokenService/List",
        ])
        .execute();
    }
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          method: "/metalstack.api.v2.ProjectService/Get",
          subject: FOREIGN_PROJECT,
          code: "permission_denied",
          client_address: "127.0.0.1",
        }),
        // Over gRPC (HTTP/2 prior knowledge) the peer address is known too.
        expect.objectContaining({
          method: "/metalstack.api.v2.TokenService/List",
          code: "ok",
          client_address: "127.0.0.1",
        }),
      ]),
    );
  });

  it("never writes a token secret into the audit log", async () => {
    const made = await createClient(
      TokenService,
      createConnectTransport({ baseUrl: server.url, httpVersion: "1.1", interceptors: [bearer(frank)] }),
    ).create({ description: "audit-me", expires: { seconds: BigInt(Math.floor(Date.now() / 1000) + 600) } });
    await new Promise((r) => setTimeout(r, 600));
    const rows = await server.ctx.db.kysely.selectFrom("audit_log").select(["request"]).execute();
    const all = JSON.stringify(rows);
    expect(all).toContain("audit-me");
    expect(all).not.toContain(made.secret);
    expect(all).not.toContain(frank);
  });

  it("does not audit health calls (annotated AUDITING_EXCLUDED)", async () => {
    await createClient(
      HealthService,
      createConnectTransport({ baseUrl: server.url, httpVersion: "1.1" }),
    ).get({});
    await new Promise((r) => setTimeout(r, 400));
    const rows = await server.ctx.db.kysely
      .selectFrom("audit_log")
      .selectAll()
      .where("method", "=", "/metalstack.api.v2.HealthService/Get")
      .execute();
    expect(rows).toEqual([]);
  });
});

describe("rate limiting", () => {
  it("refuses with ResourceExhausted beyond the limit and recovers as the bucket refills", async () => {
    let clock = 0;
    const store = createMemoryRateLimitStore(() => clock);
    const limit = { perSecond: 2, burst: 3 };
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await store.take("k", limit));
    expect(results.slice(0, 3)).toEqual([0, 0, 0]);
    expect(results[3]).toBeGreaterThan(0);
    clock += 500;
    expect(await store.take("k", limit)).toBe(0);
    expect(await store.take("other", limit)).toBe(0);
  });

  it("throttles one client address on the real server while other callers are unaffected", async () => {
    const server = await startTestServer();
    try {
      // Rebuild the chain with a tiny address limit through the same code path the server uses.
      const { createInterceptors } = await import("../../../src/server/interceptors/index.js");
      const { createRouterTransport } = await import("@connectrpc/connect");
      const { registerServices } = await import("../../../src/server/services/index.js");
      const ctx = { ...server.ctx };
      const interceptors = createInterceptors(ctx, {
        rateLimits: { perAddress: { perSecond: 0.001, burst: 2 }, perUser: { perSecond: 1, burst: 100 } },
      });
      const client = createClient(
        HealthService,
        createRouterTransport(registerServices(ctx), { router: { interceptors } }),
      );
      await client.get({});
      await client.get({});
      const err = await client.get({}).catch((e) => ConnectError.from(e));
      expect(err).toMatchObject({ code: Code.ResourceExhausted });
      expect((err as ConnectError).rawMessage).toMatch(/retry in/);
    } finally {
      await server.close();
    }
  });
});
