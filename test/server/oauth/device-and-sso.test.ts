import * as oidc from "openid-client";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalUser } from "../../../src/idp/local-users.js";
import { defaultIdentityConfig } from "../../../src/server/oauth/identity-config.js";
import { idpDeps } from "../../../src/server/oauth/runtime.js";
import { launchBrowser, newBrowserContext } from "../../helpers/browser.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import { authorizeUrl, exchangeCode, newPkce, postForm, startLoopback } from "./cli-side.js";

const PASSWORD = "Correct-Horse-42";

/** pollUntilDone polls the token endpoint like an RFC 8628 client, honouring interval and slow_down. */
async function pollUntilDone(base: string, deviceCode: string, interval: number) {
  let wait = interval;
  for (;;) {
    await new Promise((r) => setTimeout(r, wait * 1000));
    const res = await postForm(`${base}/auth/token`, {
      grant_type: "urn:ietf:params:oauth:grant-type:device_code",
      client_id: "metalctl",
      device_code: deviceCode,
    });
    if (res.body.error === "authorization_pending") continue;
    if (res.body.error === "slow_down") {
      wait += 5;
      continue;
    }
    return res;
  }
}

async function logIn(context: BrowserContext, url: string, user = "bob") {
  const page = await context.newPage();
  await page.goto(url);
  await page.getByLabel("User name").fill(user);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  return page;
}

describe("device flow and single sign-on", { timeout: 120_000 }, () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer(
      { identity: { ...defaultIdentityConfig(), devicePollIntervalSeconds: 1 } },
      { stdout: () => {} },
    );
    browser = await launchBrowser();
    await createLocalUser(idpDeps(server.ctx), {
      id: "bob",
      displayName: "Bob",
      email: "bob@example.com",
      roles: [],
      password: PASSWORD,
      mustChangePassword: false,
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("approves a device in the browser while the client polls, showing which client and host asks", async () => {
    const start = await postForm(`${server.url}/auth/device/code`, { client_id: "metalctl" });
    expect(start.status).toBe(200);
    const { device_code, user_code, verification_uri, verification_uri_complete, interval, expires_in } =
      start.body;
    expect(String(user_code)).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(verification_uri).toBe(`${server.url}/auth/device`);
    expect(interval).toBe(1);
    expect(expires_in).toBe(600);
    const polling = pollUntilDone(server.url, String(device_code), Number(interval));
    const context = await newBrowserContext(browser);
    try {
      const page = await logIn(context, String(verification_uri_complete));
      await page.getByRole("heading", { name: "Approve access?" }).waitFor();
      const text = await page.locator("main").textContent();
      expect(text).toContain("metalctl");
      expect(text).toContain("127.0.0.1");
      expect(text).toContain(String(user_code));
      await page.getByRole("button", { name: "Approve" }).click();
      await page.getByRole("heading", { name: "Device approved" }).waitFor();
    } finally {
      await context.close();
    }
    const done = await polling;
    expect(done.status).toBe(200);
    expect(done.body.token_type).toBe("Bearer");
    // The device code is single-use.
    const again = await postForm(`${server.url}/auth/token`, {
      grant_type: "urn:ietf:params:oauth:grant-type:device_code",
      client_id: "metalctl",
      device_code: String(device_code),
    });
    expect(again.body.error).toBe("invalid_grant");
  });

  it("answers access_denied when the person denies the device", async () => {
    const start = await postForm(`${server.url}/auth/device/code`, { client_id: "metalctl" });
    const context = await newBrowserContext(browser);
    try {
      const page = await logIn(
        context,
        `${server.url}/auth/device`.concat(`?user_code=${start.body.user_code}`),
      );
      await page.getByRole("button", { name: "Deny" }).click();
      await page.getByRole("heading", { name: "Access denied" }).waitFor();
    } finally {
      await context.close();
    }
    const res = await pollUntilDone(server.url, String(start.body.device_code), 1);
    expect(res.body.error).toBe("access_denied");
  });

  it("lets a standard OAuth client (openid-client) complete the device flow from the server metadata", async () => {
    const config = await oidc.discovery(new URL(server.url), "metalctl", undefined, oidc.None(), {
      algorithm: "oauth2",
      execute: [oidc.allowInsecureRequests],
    });
    const started = await oidc.initiateDeviceAuthorization(config, {});
    const polling = oidc.pollDeviceAuthorizationGrant(config, started);
    const context = await newBrowserContext(browser);
    try {
      const page = await context.newPage();
      await page.goto(started.verification_uri);
      await page.getByLabel("Code").fill(started.user_code.toLowerCase().replace("-", " "));
      await page.getByRole("button", { name: "Continue" }).click();
      await page.getByLabel("User name").fill("bob");
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Log in" }).click();
      await page.getByRole("button", { name: "Approve" }).click();
      await page.getByRole("heading", { name: "Device approved" }).waitFor();
    } finally {
      await context.close();
    }
    const tokens = await polling;
    expect(tokens.access_token).toBeTruthy();
    expect(tokens.refresh_token).toBeTruthy();
    // The refresh token renews the session without a browser, and rotates.
    const renewed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(renewed.access_token).toBeTruthy();
    expect(renewed.refresh_token).not.toBe(tokens.refresh_token);
  });

  it("logs a second registered OIDC client in through the provider session without a second password prompt", async () => {
    const app = await startLoopback();
    await server.ctx.db.kysely
      .insertInto("idp_clients")
      .values({
        client_id: "grafana",
        name: "Grafana",
        client_secret: "grafana-secret-0123456789abcdef",
        redirect_uris: JSON.stringify([app.redirectUri]),
        created_at: new Date().toISOString(),
      })
      .execute();
    const cli = await startLoopback();
    const context = await newBrowserContext(browser);
    try {
      const pkce = newPkce();
      await logIn(
        context,
        authorizeUrl(server.url, {
          redirectUri: cli.redirectUri,
          state: "s",
          challenge: pkce.challenge,
          method: "S256",
        }),
      );
      const cliCode = (await cli.callback).get("code")!;
      expect((await exchangeCode(server.url, cliCode, pkce.verifier, cli.redirectUri)).status).toBe(200);

      const issuer = new URL(`${server.url}/idp`);
      const config = await oidc.discovery(issuer, "grafana", "grafana-secret-0123456789abcdef", undefined, {
        execute: [oidc.allowInsecureRequests],
      });
      const verifier = oidc.randomPKCECodeVerifier();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: app.redirectUri,
        scope: "openid profile email",
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: "S256",
        state: "g-state",
        nonce,
      });
      const page = await context.newPage();
      let sawLoginForm = false;
      page.on("framenavigated", (f) => {
        if (f.url().includes("/idp/interaction/")) sawLoginForm = true;
      });
      await page.goto(url.href);
      const q = await app.callback;
      expect(sawLoginForm).toBe(false);
      const callbackUrl = new URL(app.redirectUri);
      callbackUrl.search = q.toString();
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: verifier,
        expectedState: "g-state",
        expectedNonce: nonce,
      });
      expect(tokens.claims()?.sub).toBe("bob");
      expect(tokens.claims()?.email).toBe("bob@example.com");
    } finally {
      await context.close();
      await cli.close();
      await app.close();
    }
  });
});
