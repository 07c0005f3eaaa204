import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProjectRole, TenantRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { TokenType } from "../../../src/gen/metalstack/api/v2/token_pb.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import {
  addUser,
  OWN_PROJECT,
  OWN_TENANT,
  seedScopes,
  setProjectRole,
  setTenantRole,
} from "../authz/fixtures.js";
import { codeOf, tokenClient } from "./token-client.js";

// TokenService/GetCurrent: every valid token may read itself, and only itself.
let server: TestServer;
const HOUR = 3_600_000;

beforeAll(async () => {
  server = await startTestServer();
  await seedScopes(server.ctx);
  await addUser(server.ctx, "cid");
  await setTenantRole(server.ctx, "cid", OWN_TENANT, TenantRole.OWNER);
  await setProjectRole(server.ctx, "cid", OWN_PROJECT, ProjectRole.EDITOR);
});
afterAll(() => server?.close());

const ci = (extra: { expiresAt?: Date } = {}) =>
  server.ctx.tokens.issueApiToken({
    userId: "cid",
    description: "deploy",
    projectRoles: { [OWN_PROJECT]: ProjectRole.VIEWER },
    expiresAt: extra.expiresAt ?? new Date(Date.now() + HOUR),
  });

describe("TokenService/GetCurrent", () => {
  it("an API token without any method grant reads its own record: owner, description, expiry, grants", async () => {
    const { secret, token } = await ci();
    const client = tokenClient(server.url, secret);
    // Get on itself still needs an explicit grant; GetCurrent does not.
    expect(await codeOf(client.get({ uuid: token.id }))).toBe(Code.PermissionDenied);
    const { token: self } = await client.getCurrent({});
    expect(self).toMatchObject({
      uuid: token.id,
      user: "cid",
      description: "deploy",
      projectRoles: { [OWN_PROJECT]: ProjectRole.VIEWER },
      tenantRoles: {},
      tokenType: TokenType.API,
    });
    expect(self?.expires?.seconds).toBe(BigInt(Math.floor(token.expiresAt.getTime() / 1000)));
    expect(JSON.stringify(self, (_k, v) => (typeof v === "bigint" ? String(v) : v))).not.toContain(secret);
  });

  it("answers only about the presented token: a request naming another one still gets the caller's", async () => {
    const mine = await ci();
    const other = await ci();
    const res = await fetch(`${server.url}/metalstack.api.v2.TokenService/GetCurrent`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${mine.secret}` },
      body: JSON.stringify({ uuid: other.token.id }),
    });
    const text = await res.text();
    expect(text).not.toContain(other.token.id);
    if (res.status === 200) expect(JSON.parse(text).token.uuid).toBe(mine.token.id);
  });

  it("a login token reads itself too", async () => {
    const s = await server.ctx.tokens.issueUserSession("cid");
    const { token } = await tokenClient(server.url, s.accessToken).getCurrent({});
    expect([token?.user, token?.tokenType]).toEqual(["cid", TokenType.USER]);
  });

  it("a revoked, an expired or a forged token is unauthenticated", async () => {
    const revoked = await ci();
    await server.ctx.tokens.revoke(revoked.token);
    const expired = await ci({ expiresAt: new Date(Date.now() - 1000) });
    for (const secret of [revoked.secret, expired.secret, `${revoked.secret.slice(0, -2)}xx`, ""]) {
      const err = await tokenClient(server.url, secret)
        .getCurrent({})
        .then(
          () => undefined,
          (e) => ConnectError.from(e),
        );
      expect(err?.code).toBe(Code.Unauthenticated);
    }
  });
});
