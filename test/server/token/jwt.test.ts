import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TokenService } from "../../../src/gen/metalstack/api/v2/token_pb.js";
import { createSigningKeys } from "../../../src/server/token/signing-keys.js";
import { JWT_AUDIENCE } from "../../../src/server/token/tokens.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import { addUser, bearer } from "../authz/fixtures.js";

describe("JWT verification", () => {
  let server: TestServer;
  let good: string;
  let jti: string;
  let kid: string;

  const list = (token: string) =>
    createClient(
      TokenService,
      createConnectTransport({ baseUrl: server.url, httpVersion: "1.1", interceptors: [bearer(token)] }),
    ).list({});
  const expectUnauthenticated = async (token: string, message: RegExp = /log in again/) => {
    const err = await list(token).then(
      () => undefined,
      (e) => ConnectError.from(e),
    );
    expect(err?.code).toBe(Code.Unauthenticated);
    expect(err?.rawMessage).toMatch(message);
  };
  // A token signed by an attacker's own key pair, otherwise perfect.
  const signWith = async (
    claims: Record<string, unknown>,
    header: Record<string, unknown>,
    alg = "ES256",
  ) => {
    const { privateKey } = await generateKeyPair(alg);
    return new SignJWT(claims).setProtectedHeader({ alg, ...header }).sign(privateKey);
  };

  beforeAll(async () => {
    server = await startTestServer();
    await addUser(server.ctx, "alice");
    good = (await server.ctx.tokens.issueUserSession("alice")).accessToken;
    jti = decodeJwt(good).jti ?? "";
    kid = decodeProtectedHeader(good).kid ?? "";
  });
  afterAll(() => server.close());

  it("accepts the token it issued, with kid, iss, aud, sub, jti, exp, iat and type", async () => {
    await expect(list(good)).resolves.toBeDefined();
    const claims = decodeJwt(good);
    expect(claims).toMatchObject({ iss: server.url, aud: JWT_AUDIENCE, sub: "alice", typ: "user" });
    expect(claims.exp! - claims.iat!).toBe(8 * 3600);
    expect(decodeProtectedHeader(good)).toMatchObject({ alg: "ES256", kid });
  });

  it("publishes the verification key at /.well-known/jwks.json without private parts", async () => {
    const res = await fetch(`${server.url}/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    const jwks = (await res.json()) as { keys: Record<string, string>[] };
    expect(jwks.keys.map((k) => k.kid)).toContain(kid);
    for (const k of jwks.keys) expect(k.d).toBeUndefined();
  });

  it("rejects a missing or malformed authorization header", async () => {
    const anon = createClient(
      TokenService,
      createConnectTransport({ baseUrl: server.url, httpVersion: "1.1" }),
    );
    await expect(anon.list({})).rejects.toMatchObject({ code: Code.Unauthenticated });
    await expectUnauthenticated("not-a-jwt");
  });

  it("rejects a forged payload (signature no longer matches)", async () => {
    const [h, , s] = good.split(".");
    const payload = Buffer.from(JSON.stringify({ ...decodeJwt(good), sub: "mallory" })).toString("base64url");
    await expectUnauthenticated(`${h}.${payload}.${s}`);
  });

  it('rejects alg "none"', async () => {
    const header = Buffer.from(JSON.stringify({ alg: "none", kid, typ: "JWT" })).toString("base64url");
    const payload = good.split(".")[1];
    await expectUnauthenticated(`${header}.${payload}.`);
  });

  it("rejects a token signed by another key under our kid", async () => {
    await expectUnauthenticated(await signWith(decodeJwt(good), { kid }));
  });

  it("rejects an HMAC token keyed with our public key (algorithm confusion)", async () => {
    const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: object[] };
    const secret = new TextEncoder().encode(JSON.stringify(jwks.keys[0]));
    const token = await new SignJWT(decodeJwt(good)).setProtectedHeader({ alg: "HS256", kid }).sign(secret);
    await expectUnauthenticated(token);
  });

  it("rejects an unknown kid", async () => {
    await expectUnauthenticated(await signWith(decodeJwt(good), { kid: "nope" }), /unknown key/);
  });

  it("rejects a wrong issuer and a wrong audience", async () => {
    const key = await server.ctx.tokens.keys.active();
    const claims = decodeJwt(good);
    const wrongIss = await new SignJWT({ ...claims, iss: "https://evil.example" })
      .setProtectedHeader({ alg: "ES256", kid: key.kid })
      .sign(key.privateKey);
    // Signed with our key, so the message may help an operator who ran token create with other settings.
    await expectUnauthenticated(
      wrongIss,
      /token was issued for https:\/\/evil\.example, but this server is http:\/\/127\.0\.0\.1:\d+; create tokens with the server's --public-url/,
    );
    const wrongAud = await new SignJWT({ ...claims, aud: "other-api" })
      .setProtectedHeader({ alg: "ES256", kid: key.kid })
      .sign(key.privateKey);
    await expectUnauthenticated(wrongAud);
  });

  it("rejects an expired token and says so", async () => {
    const { secret } = await server.ctx.tokens.issueApiToken({
      userId: "alice",
      description: "old",
      expiresAt: new Date(Date.now() - 1_000),
    });
    await expectUnauthenticated(secret, /expired/);
  });

  it("rejects a validly signed token whose jti the store does not know", async () => {
    const key = await server.ctx.tokens.keys.active();
    const token = await new SignJWT({ ...decodeJwt(good), jti: "00000000-0000-0000-0000-000000000000" })
      .setProtectedHeader({ alg: "ES256", kid: key.kid })
      .sign(key.privateKey);
    await expectUnauthenticated(token, /unknown/);
  });

  it("rejects a token whose sub was swapped even when signed by us", async () => {
    await addUser(server.ctx, "mallory");
    const key = await server.ctx.tokens.keys.active();
    const token = await new SignJWT({ ...decodeJwt(good), sub: "mallory" })
      .setProtectedHeader({ alg: "ES256", kid: key.kid })
      .sign(key.privateKey);
    await expectUnauthenticated(token);
  });

  it("makes revocation effective on the next request", async () => {
    const { accessToken } = await server.ctx.tokens.issueUserSession("alice");
    await expect(list(accessToken)).resolves.toBeDefined();
    const id = decodeJwt(accessToken).jti ?? "";
    await server.ctx.tokens.store.revoke({ id }, new Date());
    await expectUnauthenticated(accessToken, /revoked/);
    expect(id).not.toBe(jti);
  });

  it("keeps tokens of a rotated key valid while new tokens use the new key", async () => {
    const before = (await server.ctx.tokens.issueUserSession("alice")).accessToken;
    const newKid = await server.ctx.tokens.keys.rotate(server.ctx.config.maxTokenLifetimeMs);
    const after = (await server.ctx.tokens.issueUserSession("alice")).accessToken;
    expect(decodeProtectedHeader(after).kid).toBe(newKid);
    expect(decodeProtectedHeader(before).kid).not.toBe(newKid);
    await expect(list(before)).resolves.toBeDefined();
    await expect(list(after)).resolves.toBeDefined();
    const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as {
      keys: { kid: string }[];
    };
    expect(jwks.keys.map((k) => k.kid)).toEqual(
      expect.arrayContaining([newKid, decodeProtectedHeader(before).kid]),
    );
  });

  it("drops a retired key once its overlap is over", async () => {
    const before = (await server.ctx.tokens.issueUserSession("alice")).accessToken;
    await server.ctx.tokens.keys.rotate(0);
    await expectUnauthenticated(before, /unknown key/);
  });

  it("refuses a token it verified before once its key is dropped", async () => {
    const used = (await server.ctx.tokens.issueUserSession("alice")).accessToken;
    await expect(list(used)).resolves.toBeDefined();
    await server.ctx.tokens.keys.rotate(0);
    await expectUnauthenticated(used, /unknown key/);
  });
});

describe("JWT verification of a token string seen before", () => {
  it("still refuses it once it expires", async () => {
    let clock = Date.now();
    const server = await startTestServer({}, { now: () => new Date(clock) });
    try {
      await addUser(server.ctx, "alice");
      const secret = (await server.ctx.tokens.issueUserSession("alice")).accessToken;
      const client = createClient(
        TokenService,
        createConnectTransport({ baseUrl: server.url, httpVersion: "1.1", interceptors: [bearer(secret)] }),
      );
      await expect(client.list({})).resolves.toBeDefined();
      clock += server.ctx.config.userTokenLifetimeMs + 1_000;
      const err = await client.list({}).then(
        () => undefined,
        (e) => ConnectError.from(e),
      );
      expect(err?.code).toBe(Code.Unauthenticated);
      expect(err?.rawMessage).toMatch(/expired/);
    } finally {
      await server.close();
    }
  });
});

describe("signing key rotation policy", () => {
  it("rotates an old key on use and keeps the retired one verifying for the overlap only", async () => {
    const server = await startTestServer();
    try {
      let t = Date.now();
      const keys = createSigningKeys(server.ctx.db, () => new Date(t), {
        rotateAfterMs: 1_000,
        overlapMs: () => 5_000,
      });
      const first = await keys.active();
      expect((await keys.active()).kid).toBe(first.kid);
      t += 2_000;
      const second = await keys.active();
      expect(second.kid).not.toBe(first.kid);
      expect(await keys.publicKey(first.kid)).toBeDefined();
      expect((await keys.jwks()).keys.map((k) => k.kid)).toEqual(
        expect.arrayContaining([first.kid, second.kid]),
      );
      t += 6_000;
      expect(await keys.publicKey(first.kid)).toBeUndefined();
      expect((await keys.jwks()).keys.map((k) => k.kid)).not.toContain(first.kid);
    } finally {
      await server.close();
    }
  });
});
