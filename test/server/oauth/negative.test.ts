import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalUser, updateLocalUser } from "../../../src/idp/local-users.js";
import { MAX_USER_CODE_FAILURES } from "../../../src/server/oauth/device.js";
import { defaultIdentityConfig } from "../../../src/server/oauth/identity-config.js";
import { idpDeps } from "../../../src/server/oauth/runtime.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import { authorizeUrl, exchangeCode, newPkce, postForm } from "./cli-side.js";
import { HttpBrowser } from "./http-browser.js";

const PASSWORD = "Correct-Horse-42";
const LOOPBACK = "http://127.0.0.1:49152/callback";
const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

describe("login endpoints refuse attacks", { timeout: 120_000 }, () => {
  let server: TestServer;
  let offsetMs = 0;

  beforeAll(async () => {
    server = await startTestServer(
      { identity: { ...defaultIdentityConfig(), devicePollIntervalSeconds: 5 } },
      { stdout: () => {}, now: () => new Date(Date.now() + offsetMs) },
    );
    for (const id of ["carol", "dave", "erin"]) {
      await createLocalUser(idpDeps(server.ctx), {
        id,
        displayName: id,
        email: `${id}@example.com`,
        roles: [],
        password: PASSWORD,
        mustChangePassword: false,
      });
    }
  });
  afterAll(() => server?.close());

  const loginState = () => server.ctx.db.kysely.selectFrom("login_state").selectAll().execute();

  /** openLoginPage starts a CLI login and returns the provider's login page. */
  async function openLoginPage(b: HttpBrowser, opts: { state?: string; redirectUri?: string } = {}) {
    const pkce = newPkce();
    const { res, url } = await b.follow(
      authorizeUrl(server.url, {
        redirectUri: opts.redirectUri ?? LOOPBACK,
        state: opts.state ?? "cli-state",
        challenge: pkce.challenge,
        method: "S256",
      }),
    );
    expect(res.status).toBe(200);
    return { pkce, url, html: await res.text() };
  }

  /** loginAs runs the whole browser part and returns the loopback callback URL. */
  async function loginAs(user: string, opts: { state?: string } = {}) {
    const b = new HttpBrowser();
    const page = await openLoginPage(b, opts);
    const { url } = await b.submitLogin(
      page.url,
      page.html,
      { username: user, password: PASSWORD },
      LOOPBACK,
    );
    expect(url.startsWith(LOOPBACK)).toBe(true);
    return { pkce: page.pkce, callback: new URL(url) };
  }

  it.each([
    "https://evil.example/callback",
    "http://localhost:49152/callback",
    "http://127.0.0.1/callback",
    "http://127.0.0.1:49152/other",
    "http://127.0.0.2:49152/callback",
    "http://127.0.0.1:49152/callback?x=1",
    "http://evil.example@127.0.0.1:49152/callback",
    "http://[::2]:49152/callback",
  ])("refuses the redirect URI %s with an error page before anything is issued", async (redirectUri) => {
    const before = (await loginState()).length;
    const res = await fetch(
      authorizeUrl(server.url, { redirectUri, state: "s", challenge: newPkce().challenge, method: "S256" }),
      { redirect: "manual" },
    );
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    expect(await res.text()).toContain("Redirect refused");
    expect((await loginState()).length).toBe(before);
  });

  it("accepts the IPv6 loopback redirect", async () => {
    const res = await fetch(
      authorizeUrl(server.url, {
        redirectUri: "http://[::1]:49152/callback",
        state: "s",
        challenge: newPkce().challenge,
        method: "S256",
      }),
      { redirect: "manual" },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toContain("/idp/auth");
  });

  it.each([
    ["without PKCE", { state: "s" }],
    ["with plain PKCE", { state: "s", challenge: "a".repeat(43), method: "plain" }],
    ["without a state", { challenge: newPkce().challenge, method: "S256" }],
  ])("refuses an authorization request %s and stores nothing", async (_name, params) => {
    const before = (await loginState()).length;
    const res = await fetch(authorizeUrl(server.url, { redirectUri: LOOPBACK, ...params }), {
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get("location")!);
    expect(location.href.startsWith(LOOPBACK)).toBe(true);
    expect(location.searchParams.get("error")).toBe("invalid_request");
    expect(location.searchParams.get("code")).toBeNull();
    expect((await loginState()).length).toBe(before);
  });

  it("tells the CLI when the person cancels the login", async () => {
    const b = new HttpBrowser();
    const page = await openLoginPage(b, { state: "cancel-state" });
    const cancel = /href="([^"]*\/abort)"/.exec(page.html)![1]!;
    const { url } = await b.follow(new URL(cancel, page.url).href, LOOPBACK);
    const callback = new URL(url);
    expect(callback.searchParams.get("error")).toBe("access_denied");
    expect(callback.searchParams.get("state")).toBe("cancel-state");
    expect(callback.searchParams.get("code")).toBeNull();
  });

  it("refuses an unknown client without redirecting", async () => {
    const res = await fetch(
      authorizeUrl(server.url, {
        clientId: "other",
        redirectUri: LOOPBACK,
        state: "s",
        challenge: newPkce().challenge,
        method: "S256",
      }),
      { redirect: "manual" },
    );
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
  });

  it("refuses a wrong code verifier, and the code is burnt afterwards", async () => {
    const { pkce, callback } = await loginAs("carol");
    expect(callback.searchParams.get("state")).toBe("cli-state");
    const code = callback.searchParams.get("code")!;
    const wrong = await exchangeCode(server.url, code, newPkce().verifier, LOOPBACK);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe("invalid_grant");
    const right = await exchangeCode(server.url, code, pkce.verifier, LOOPBACK);
    expect(right.body.error).toBe("invalid_grant");
  });

  it("redeems a code only once", async () => {
    const { pkce, callback } = await loginAs("carol");
    const code = callback.searchParams.get("code")!;
    expect((await exchangeCode(server.url, code, pkce.verifier, LOOPBACK)).status).toBe(200);
    const reuse = await exchangeCode(server.url, code, pkce.verifier, LOOPBACK);
    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toBe("invalid_grant");
  });

  it("refuses a code for another redirect URI", async () => {
    const { pkce, callback } = await loginAs("carol");
    const res = await exchangeCode(
      server.url,
      callback.searchParams.get("code")!,
      pkce.verifier,
      "http://127.0.0.1:1/callback",
    );
    expect(res.body.error).toBe("invalid_grant");
  });

  it("lets a code expire after a minute", async () => {
    const { pkce, callback } = await loginAs("carol");
    offsetMs += 61_000;
    const res = await exchangeCode(server.url, callback.searchParams.get("code")!, pkce.verifier, LOOPBACK);
    expect(res.body.error).toBe("invalid_grant");
  });

  it("refuses a provider callback whose state does not match a pending login", async () => {
    const b = new HttpBrowser();
    const page = await openLoginPage(b);
    const { url } = await b.submitLogin(
      page.url,
      page.html,
      { username: "carol", password: PASSWORD },
      `${server.url}/auth/callback`,
    );
    const tampered = new URL(url);
    tampered.searchParams.set("state", "forged-state");
    const res = await b.request(tampered.href);
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    // The genuine callback still works exactly once.
    const genuine = await b.request(url);
    expect(genuine.status).toBe(303);
    expect(genuine.headers.get("location")).toContain("code=");
    expect((await b.request(url)).status).toBe(400);
  });

  it("refuses a login form posted without the page's CSRF token", async () => {
    const b = new HttpBrowser();
    const page = await openLoginPage(b);
    for (const csrf of ["", "forged"]) {
      const { res } = await b.submitLogin(page.url, page.html, {
        csrf,
        username: "carol",
        password: PASSWORD,
      });
      expect(res.status).toBe(403);
    }
    // Posted from another browser (no interaction cookie), even with the right token.
    const other = new HttpBrowser();
    const { res } = await other.submitLogin(page.url, page.html, { username: "carol", password: PASSWORD });
    expect(res.status).toBe(400);
    // The genuine form still works.
    const ok = await b.submitLogin(page.url, page.html, { username: "carol", password: PASSWORD }, LOOPBACK);
    expect(ok.url.startsWith(LOOPBACK)).toBe(true);
  });

  it("answers a wrong password and an unknown user identically", async () => {
    const b = new HttpBrowser();
    const page = await openLoginPage(b);
    const wrong = await b.submitLogin(page.url, page.html, {
      username: "dave",
      password: "Wrong-Password-1",
    });
    const unknown = await b.submitLogin(page.url, page.html, {
      username: "nobody",
      password: "Wrong-Password-1",
    });
    expect(wrong.res.status).toBe(401);
    expect(unknown.res.status).toBe(401);
    const alert = (html: string) => /<p class="error" role="alert">([^<]*)<\/p>/.exec(html)?.[1];
    const [a, c] = [alert(await wrong.res.text()), alert(await unknown.res.text())];
    expect(a).toBe("Invalid user name or password.");
    expect(c).toBe(a);
  });

  it("locks an account: no login while locked, even with the right password", async () => {
    await updateLocalUser(idpDeps(server.ctx), "erin", { locked: true });
    const b = new HttpBrowser();
    const page = await openLoginPage(b);
    const { res } = await b.submitLogin(page.url, page.html, { username: "erin", password: PASSWORD });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("This account is locked");
    await updateLocalUser(idpDeps(server.ctx), "erin", { locked: false });
    await loginAs("erin");
  });

  it("backs off after repeated failures, refusing even the right password", async () => {
    const b = new HttpBrowser();
    const page = await openLoginPage(b);
    for (let i = 0; i < 5; i++) {
      await b.submitLogin(page.url, page.html, { username: "dave", password: `Wrong-Password-${i}` });
    }
    const { res } = await b.submitLogin(page.url, page.html, { username: "dave", password: PASSWORD });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("Too many failed logins");
  });

  it("answers polling too fast with slow_down and a longer interval, and pending before approval", async () => {
    const start = await postForm(`${server.url}/auth/device/code`, { client_id: "metalctl" });
    const poll = () =>
      postForm(`${server.url}/auth/token`, {
        grant_type: DEVICE_GRANT,
        client_id: "metalctl",
        device_code: String(start.body.device_code),
      });
    expect((await poll()).body.error).toBe("authorization_pending");
    const fast = await poll();
    expect(fast.body.error).toBe("slow_down");
    expect(String(fast.body.error_description)).toContain("10 seconds");
    offsetMs += 10_000;
    expect((await poll()).body.error).toBe("authorization_pending");
    offsetMs += 601_000;
    expect((await poll()).body.error).toBe("expired_token");
  });

  it("refuses unknown device codes", async () => {
    const res = await postForm(`${server.url}/auth/token`, {
      grant_type: DEVICE_GRANT,
      client_id: "metalctl",
      device_code: "guessed-device-code",
    });
    expect(res.body.error).toBe("invalid_grant");
  });

  it("stops user-code guessing from one address, even for a valid code", async () => {
    const start = await postForm(`${server.url}/auth/device/code`, { client_id: "metalctl" });
    for (let i = 0; i < MAX_USER_CODE_FAILURES; i++) {
      const res = await fetch(`${server.url}/auth/device?user_code=BCDF-GHJ${"KLMNPQRSTV"[i]}`, {
        redirect: "manual",
      });
      expect(res.status).toBe(400);
    }
    const blocked = await fetch(`${server.url}/auth/device?user_code=${start.body.user_code}`, {
      redirect: "manual",
    });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("location")).toBeNull();
  });

  it("refuses a device approval posted without the approval page's cookie", async () => {
    const res = await fetch(`${server.url}/auth/device/approve`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "ticket=forged&decision=approve",
    });
    expect(res.status).toBe(403);
  });

  it("publishes metadata that names only S256 and the loopback client's endpoints", async () => {
    const meta = (await (
      await fetch(`${server.url}/.well-known/oauth-authorization-server`)
    ).json()) as Record<string, unknown>;
    expect(meta.issuer).toBe(server.url);
    expect(meta.code_challenge_methods_supported).toEqual(["S256"]);
    expect(meta.device_authorization_endpoint).toBe(`${server.url}/auth/device/code`);
  });
});
