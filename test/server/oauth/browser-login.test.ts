import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { UserService } from "../../../src/gen/metalstack/api/v2/user_pb.js";
import { createLocalUser } from "../../../src/idp/local-users.js";
import { idpDeps } from "../../../src/server/oauth/runtime.js";
import { launchBrowser, newBrowserContext } from "../../helpers/browser.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import { authorizeUrl, exchangeCode, newPkce, startLoopback } from "./cli-side.js";

describe("browser login through the loopback flow", { timeout: 120_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let printed = "";

  beforeAll(async () => {
    server = await startTestServer(
      {},
      {
        stdout: (t) => {
          printed += t;
        },
      },
    );
    browser = await launchBrowser();
    await createLocalUser(idpDeps(server.ctx), {
      id: "alice",
      displayName: "Alice Example",
      email: "alice@example.com",
      roles: ["read-only"],
      password: "Correct-Horse-42",
      mustChangePassword: false,
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

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

  it("logs a local user in: PKCE, state, code exchange, and a user token the API accepts", async () => {
    const loopback = await startLoopback();
    const context = await newBrowserContext(browser);
    try {
      const page = await context.newPage();
      const pkce = newPkce();
      await page.goto(
        authorizeUrl(server.url, {
          redirectUri: loopback.redirectUri,
          state: "st-1",
          challenge: pkce.challenge,
          method: "S256",
        }),
      );
      // innerText waits for the heading; an error page in place of the login page has another one.
      expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Log in");
      await page.getByLabel("User name").fill("alice");
      await page.getByLabel("Password").fill("Correct-Horse-42");
      await page.getByRole("button", { name: "Log in" }).click();
      const q = await loopback.callback;
      expect(q.get("state")).toBe("st-1");
      expect(q.get("access_token")).toBeNull();
      const code = q.get("code")!;
      const res = await exchangeCode(server.url, code, pkce.verifier, loopback.redirectUri);
      expect(res.status).toBe(200);
      expect(res.body.token_type).toBe("Bearer");
      expect(typeof res.body.refresh_token).toBe("string");
      const me = await whoami(String(res.body.access_token));
      expect(me.user?.id).toBe("alice");
      expect(me.user?.email).toBe("alice@example.com");
      expect(me.user?.adminRole).toBe(AdminRole.VIEWER);
    } finally {
      await context.close();
      await loopback.close();
    }
  });

  it("forces the super-admin to replace the printed one-time password before anything else", async () => {
    const match = /one-time password\s+(\S+)/.exec(printed);
    expect(match, "the super-admin password was printed on stdout").not.toBeNull();
    const oneTime = match![1]!;
    const loopback = await startLoopback();
    const context = await newBrowserContext(browser);
    try {
      const page = await context.newPage();
      const pkce = newPkce();
      await page.goto(
        authorizeUrl(server.url, {
          redirectUri: loopback.redirectUri,
          state: "st-2",
          challenge: pkce.challenge,
          method: "S256",
        }),
      );
      await page.getByLabel("User name").fill("admin");
      await page.getByLabel("Password").fill(oneTime);
      await page.getByRole("button", { name: "Log in" }).click();
      await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
      // A weak password is refused by the policy and the page stays.
      await page.getByLabel("New password", { exact: true }).fill("short");
      await page.getByLabel("Repeat the new password").fill("short");
      await page.getByRole("button", { name: "Set password and continue" }).click();
      await page.getByRole("alert").waitFor();
      expect(await page.getByRole("alert").textContent()).toContain("at least 12 characters");
      await page.getByLabel("New password", { exact: true }).fill("Brand-New-Secret-7");
      await page.getByLabel("Repeat the new password").fill("Brand-New-Secret-7");
      await page.getByRole("button", { name: "Set password and continue" }).click();
      const q = await loopback.callback;
      const res = await exchangeCode(server.url, q.get("code")!, pkce.verifier, loopback.redirectUri);
      expect(res.status).toBe(200);
      const me = await whoami(String(res.body.access_token));
      expect(me.user?.id).toBe("admin");
      expect(me.user?.adminRole).toBe(AdminRole.EDITOR);
    } finally {
      await context.close();
      await loopback.close();
    }
    // The one-time password no longer works; the new one does.
    const again = await startLoopback();
    const context2 = await newBrowserContext(browser);
    try {
      const page = await context2.newPage();
      const pkce = newPkce();
      await page.goto(
        authorizeUrl(server.url, {
          redirectUri: again.redirectUri,
          state: "st-3",
          challenge: pkce.challenge,
          method: "S256",
        }),
      );
      await page.getByLabel("User name").fill("admin");
      await page.getByLabel("Password").fill(oneTime);
      await page.getByRole("button", { name: "Log in" }).click();
      await page.getByRole("alert").waitFor();
      expect(await page.getByRole("alert").textContent()).toContain("Invalid user name or password");
      await page.getByLabel("Password").fill("Brand-New-Secret-7");
      await page.getByRole("button", { name: "Log in" }).click();
      expect((await again.callback).get("code")).toBeTruthy();
    } finally {
      await context2.close();
      await again.close();
    }
  });
});
