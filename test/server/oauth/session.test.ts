import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserService } from "../../../src/gen/metalstack/api/v2/user_pb.js";
import { createLocalUser } from "../../../src/idp/local-users.js";
import { idpDeps } from "../../../src/server/oauth/runtime.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import { authorizeUrl, exchangeCode, newPkce, postForm } from "./cli-side.js";
import { HttpBrowser } from "./http-browser.js";

const LOOPBACK = "http://[::1]:49155/callback";
const PASSWORD = "Correct-Horse-42";

describe("login sessions: refresh and logout", { timeout: 60_000 }, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({}, { stdout: () => {} });
    await createLocalUser(idpDeps(server.ctx), {
      id: "lena",
      displayName: "Lena",
      email: "",
      roles: [],
      password: PASSWORD,
      mustChangePassword: false,
    });
  });
  afterAll(() => server?.close());

  const whoami = (token: string) =>
    createClient(
      UserService,
      createConnectTransport({
        baseUrl: server.url,
        httpVersion: "1.1",
        interceptors: [
          (next) => (req) => {
            req.header.set("authorization", `Bearer ${token}`);
            return next(req);
          },
        ],
      }),
    ).get({});

  async function login() {
    const b = new HttpBrowser();
    const pkce = newPkce();
    const page = await b.follow(
      authorizeUrl(server.url, {
        redirectUri: LOOPBACK,
        state: "z",
        challenge: pkce.challenge,
        method: "S256",
      }),
    );
    const { url } = await b.submitLogin(
      page.url,
      await page.res.text(),
      { username: "lena", password: PASSWORD },
      LOOPBACK,
    );
    const callback = new URL(url);
    // Only a code and the state travel in the URL, never a token.
    expect([...callback.searchParams.keys()].sort()).toEqual(["code", "state"]);
    const res = await exchangeCode(server.url, callback.searchParams.get("code")!, pkce.verifier, LOOPBACK);
    expect(res.status).toBe(200);
    return {
      access: String(res.body.access_token),
      refresh: String(res.body.refresh_token),
      expiresIn: Number(res.body.expires_in),
    };
  }
  const refresh = (token: string) =>
    postForm(`${server.url}/auth/token`, {
      grant_type: "refresh_token",
      client_id: "metalctl",
      refresh_token: token,
    });

  it("renews with a rotating refresh token and refuses the used one", async () => {
    const s = await login();
    expect(s.expiresIn).toBeGreaterThan(7 * 3600);
    const renewed = await refresh(s.refresh);
    expect(renewed.status).toBe(200);
    expect(renewed.body.refresh_token).not.toBe(s.refresh);
    expect((await whoami(String(renewed.body.access_token))).user?.id).toBe("lena");
    expect((await refresh(s.refresh)).body.error).toBe("invalid_grant");
  });

  it("logs out: revoking the access and the refresh token ends the session", async () => {
    const s = await login();
    expect((await whoami(s.access)).user?.id).toBe("lena");
    for (const token of [s.access, s.refresh]) {
      const res = await fetch(`${server.url}/auth/revoke`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token, client_id: "metalctl" }).toString(),
      });
      expect(res.status).toBe(200);
    }
    const err = await whoami(s.access).catch((e: unknown) => ConnectError.from(e));
    expect((err as ConnectError).code).toBe(Code.Unauthenticated);
    expect((await refresh(s.refresh)).body.error).toBe("invalid_grant");
  });

  it("refuses other clients and grant types at the token endpoint", async () => {
    expect(
      (await postForm(`${server.url}/auth/token`, { grant_type: "password", client_id: "metalctl" })).body
        .error,
    ).toBe("unsupported_grant_type");
    const other = await postForm(`${server.url}/auth/token`, {
      grant_type: "refresh_token",
      client_id: "x",
      refresh_token: "y",
    });
    expect(other.status).toBe(401);
    expect(other.body.error).toBe("invalid_client");
  });
});
