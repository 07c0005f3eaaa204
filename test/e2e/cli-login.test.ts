import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { createLocalUser } from "../../src/idp/local-users.js";
import { defaultIdentityConfig } from "../../src/server/oauth/identity-config.js";
import { idpDeps } from "../../src/server/oauth/runtime.js";
import { launchBrowser, newBrowserContext } from "../helpers/browser.js";
import { type CliSandbox, createCliSandbox, spawnCli } from "../helpers/cli.js";
import { startTestServer, type TestServer } from "../helpers/start-server.js";

// Runs the BUILT CLI (npm run build) against the in-process server and headless Chromium.
const PASSWORD = "Correct-Horse-42";
let server: TestServer;
let browser: Browser;
let cli: CliSandbox;

beforeAll(async () => {
  server = await startTestServer(
    { identity: { ...defaultIdentityConfig(), devicePollIntervalSeconds: 1 } },
    { stdout: () => {} },
  );
  browser = await launchBrowser();
  await createLocalUser(idpDeps(server.ctx), {
    id: "alice",
    displayName: "Alice Example",
    email: "alice@example.com",
    roles: [],
    password: PASSWORD,
    mustChangePassword: false,
  });
  cli = createCliSandbox();
});

afterAll(async () => {
  await browser?.close();
  cli?.cleanup();
  await server?.close();
});

/** startLogin runs `metalctl login …` in the background and resolves the first stderr line matching `re`. */
function startLogin(args: string[]) {
  const child = spawnCli(["login", ...args], cli.env);
  let stderr = "";
  const exited = new Promise<number>((resolve) => child.once("close", (code) => resolve(code ?? -1)));
  const line = (re: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const m = re.exec(stderr);
        if (m) resolve(m[1]!);
      };
      child.stderr.on("data", (d) => {
        stderr += d;
        check();
      });
      exited.then(() => reject(new Error(`login exited before printing ${re}: ${stderr}`)));
    });
  return { child, exited, line, stderr: () => stderr };
}

async function signIn(context: BrowserContext, url: string) {
  const page = await context.newPage();
  await page.goto(url);
  await page.getByLabel("User name").fill("alice");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  return page;
}

/** look is what makes a page look like the login pages: computed styles of the page and its card, and the brand line. */
function look(page: Page): Promise<Record<string, string | undefined>> {
  // A string, evaluated in the page: the tests are type-checked without the DOM's types.
  return page.evaluate(`(() => {
    const body = getComputedStyle(document.body);
    const main = document.querySelector("main");
    const card = main ? getComputedStyle(main) : undefined;
    return {
      page: [body.backgroundColor, body.color, body.fontFamily, body.display].join(" | "),
      card: card && [card.backgroundColor, card.borderRadius, card.maxWidth, card.padding].join(" | "),
      heading: getComputedStyle(document.querySelector("h1")).fontSize,
      brand: document.querySelector(".brand")?.textContent,
    };
  })()`);
}

/** deviceLoginAs logs in to `context` with the device flow, approving it in the browser. */
async function deviceLoginAs(context: string) {
  const login = startLogin(["--device", "--api-url", server.url, "--context", context, "--insecure-storage"]);
  const complete = await login.line(/^or open (\S+)$/m);
  const browserContext = await newBrowserContext(browser);
  try {
    const page = await signIn(browserContext, complete);
    await page.getByRole("button", { name: "Approve" }).click();
    await page.getByRole("heading", { name: "Device approved" }).waitFor();
  } finally {
    await browserContext.close();
  }
  return { code: await login.exited, stderr: login.stderr() };
}

/** refreshStatus presents a refresh token at the token endpoint and returns the HTTP status. */
async function refreshStatus(refreshToken: string): Promise<number> {
  const res = await fetch(`${server.url}/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: refreshToken,
      client_id: "metalctl",
    }),
  });
  return res.status;
}

/** listStatus calls TokenService/List with a bearer token and returns the HTTP status. */
async function listStatus(accessToken: string): Promise<number> {
  const res = await fetch(`${server.url}/metalstack.api.v2.TokenService/List`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${accessToken}` },
    body: "{}",
  });
  return res.status;
}

const credsFile = () => path.join(cli.configDir, "credentials.yaml");
const readCreds = () => parse(fs.readFileSync(credsFile(), "utf8"));

describe("metalctl login flows", { timeout: 120_000 }, () => {
  it("browser flow: prints the URL, receives the code on the loopback port, stores the session", async () => {
    const login = startLogin([
      "--no-browser",
      "--api-url",
      server.url,
      "--context",
      "web",
      "--insecure-storage",
    ]);
    const url = await login.line(/^(http\S+\/auth\/authorize\?\S+)$/m);
    const params = new URL(url).searchParams;
    expect(params.get("code_challenge_method")).toBe("S256");
    expect(params.get("redirect_uri")).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(params.get("state")?.length).toBeGreaterThanOrEqual(16);
    const context = await newBrowserContext(browser);
    try {
      const page = await signIn(context, url);
      await page.getByText("metalctl is logged in").waitFor();
    } finally {
      await context.close();
    }
    expect(await login.exited).toBe(0);
    expect(login.stderr()).toContain(
      'as Alice Example <alice@example.com> (context "web", credentials in the file)',
    );
    expect(login.stderr()).not.toContain("no usable OS keychain");
    const creds = readCreds().web;
    expect(creds.refreshToken).toMatch(/\S{20,}/);
    const who = JSON.parse((await cli.run(["whoami", "-o", "json"])).stdout);
    expect(who.user.id).toBe("alice");
  });

  it("refuses a callback with a forged state and keeps waiting for the real one", async () => {
    const login = startLogin([
      "--no-browser",
      "--api-url",
      server.url,
      "--context",
      "web",
      "--insecure-storage",
    ]);
    const url = await login.line(/^(http\S+\/auth\/authorize\?\S+)$/m);
    const redirect = new URL(url).searchParams.get("redirect_uri")!;
    const forged = await fetch(`${redirect}?code=stolen&state=forged`);
    expect(forged.status).toBe(400);
    const context = await newBrowserContext(browser);
    try {
      const page = await signIn(context, url);
      await page.getByText("metalctl is logged in").waitFor();
    } finally {
      await context.close();
    }
    expect(await login.exited).toBe(0);
  });

  it("renews the access token silently, and says the session expired when renewal fails", async () => {
    const before = readCreds();
    before.web.expiresAt = new Date(Date.now() - 1000).toISOString();
    fs.writeFileSync(credsFile(), stringify(before), { mode: 0o600 });
    const ok = await cli.run(["whoami", "-o", "json"]);
    expect(ok.code).toBe(0);
    const after = readCreds().web;
    expect(after.accessToken).not.toBe(before.web.accessToken);
    expect(new Date(after.expiresAt).getTime()).toBeGreaterThan(Date.now());

    await server.ctx.tokens.revokeTokenString(after.refreshToken);
    const expired = readCreds();
    expired.web.expiresAt = new Date(Date.now() - 1000).toISOString();
    fs.writeFileSync(credsFile(), stringify(expired), { mode: 0o600 });
    const failed = await cli.run(["project", "list"]);
    expect(failed.code).toBe(3);
    expect(failed.stderr).toContain("session expired — run `metalctl login`");
  });

  it("device flow: shows the code, polls until approved in the browser, and logout revokes the session", async () => {
    const login = startLogin(["--device", "--api-url", server.url, "--context", "dev", "--insecure-storage"]);
    const complete = await login.line(/^or open (\S+)$/m);
    expect(login.stderr()).toMatch(/enter the code [A-Z]{4}-[A-Z]{4}/);
    const context = await newBrowserContext(browser);
    try {
      const page = await signIn(context, complete);
      await page.getByRole("button", { name: "Approve" }).click();
      await page.getByRole("heading", { name: "Device approved" }).waitFor();
    } finally {
      await context.close();
    }
    expect(await login.exited).toBe(0);
    expect(login.stderr()).toContain('(context "dev"');
    const { refreshToken } = readCreds().dev;

    const out = await cli.run(["logout"]);
    expect(out.code).toBe(0);
    expect(out.stderr).not.toContain("Warning");
    expect(readCreds().dev).toBeUndefined();
    await expect(server.ctx.tokens.refreshUserSession(refreshToken)).rejects.toThrow();
  });

  it("logging in again replaces the context's session and revokes the previous one on the server", async () => {
    expect((await deviceLoginAs("again")).code).toBe(0);
    const first = readCreds().again;
    expect(await listStatus(first.accessToken)).toBe(200);
    const second = await deviceLoginAs("again");
    expect(second.code).toBe(0);
    expect(second.stderr).not.toContain("Warning");
    const now = readCreds().again;
    expect(now.refreshToken).not.toBe(first.refreshToken);
    expect(await listStatus(first.accessToken)).toBe(401);
    expect(await refreshStatus(first.refreshToken)).toBe(400);
    expect(await listStatus(now.accessToken)).toBe(200);
    expect(await refreshStatus(now.refreshToken)).toBe(200);
  });

  it("logout --all ends every login session of the user and keeps the API tokens", async () => {
    expect((await deviceLoginAs("one")).code).toBe(0);
    expect((await deviceLoginAs("two")).code).toBe(0);
    const { one, two } = readCreds();
    const { secret } = await server.ctx.tokens.issueApiToken({
      userId: "alice",
      description: "ci",
      permissions: [{ subject: "*", methods: ["/metalstack.api.v2.TokenService/List"] }],
      expiresAt: new Date(Date.now() + 3_600_000),
    });

    const out = await cli.run(["logout", "--all", "--context", "one"]);
    expect(out.code).toBe(0);
    expect(out.stderr).toContain(`Ended all of your login sessions on ${server.url}.`);
    expect(out.stderr).toContain('Logged out of context "one"');
    expect(readCreds().one).toBeUndefined();
    for (const s of [one, two]) {
      expect(await listStatus(s.accessToken)).toBe(401);
      expect(await refreshStatus(s.refreshToken)).toBe(400);
    }
    expect(await listStatus(secret)).toBe(200);
  });

  it("logout --all with an API token is refused and keeps the local credentials", async () => {
    const { secret } = await server.ctx.tokens.issueApiToken({
      userId: "alice",
      description: "ci",
      permissions: [{ subject: "*", methods: ["/metalstack.api.v2.TokenService/RevokeAll"] }],
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    const login = await cli.run(
      ["login", "--with-token", "--api-url", server.url, "--context", "ci", "--insecure-storage"],
      { input: secret },
    );
    expect(login.code).toBe(0);
    const out = await cli.run(["logout", "--all", "--context", "ci"]);
    expect(out.code).toBe(4);
    expect(out.stderr).toContain("an API token cannot end login sessions");
    expect(readCreds().ci.accessToken).toBe(secret);
  });

  it("the callback page looks like the login pages, when logged in and when refused, and shows the server's words as text", async () => {
    const args = ["--no-browser", "--api-url", server.url, "--context", "styled", "--insecure-storage"];
    const login = startLogin(args);
    const url = await login.line(/^(http\S+\/auth\/authorize\?\S+)$/m);
    const redirect = new URL(url).searchParams.get("redirect_uri")!;
    const context = await newBrowserContext(browser);
    try {
      const page = await context.newPage();
      await page.goto(url);
      await page.getByLabel("User name").waitFor();
      const loginLook = await look(page);
      expect(loginLook.brand).toBe("metal-stack");
      const forged = await page.goto(`${redirect}?code=stolen&state=forged`);
      expect(forged?.status()).toBe(400);
      expect(await page.getByRole("alert").textContent()).toContain("did not match this metalctl session");
      expect(await look(page)).toEqual(loginLook);
      await page.goto(url);
      await page.getByLabel("User name").fill("alice");
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Log in" }).click();
      await page.getByRole("heading", { name: "Logged in" }).waitFor();
      expect(await page.title()).toBe("Logged in · metal-stack");
      expect(await look(page)).toEqual(loginLook);
    } finally {
      await context.close();
    }
    expect(await login.exited).toBe(0);

    const refusedLogin = startLogin(args);
    const url2 = new URL(await refusedLogin.line(/^(http\S+\/auth\/authorize\?\S+)$/m));
    const words = `<script>document.title="pwned"</script> & 'quoted'`;
    const answer = await fetch(
      `${url2.searchParams.get("redirect_uri")}?${new URLSearchParams({
        state: url2.searchParams.get("state")!,
        error: "access_denied",
        error_description: words,
      })}`,
    );
    expect(answer.status).toBe(400);
    expect(answer.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await answer.text();
    expect(html).toContain(
      "&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt; &amp; &#39;quoted&#39;",
    );
    expect(html).not.toContain("<script>");
    // The same page in Chromium: the server's words are text, and the look is the login pages' one.
    const shown = await newBrowserContext(browser);
    try {
      const page = await shown.newPage();
      await page.setContent(html);
      expect(await page.getByRole("alert").textContent()).toContain(`(access_denied: ${words})`);
      expect(await page.title()).toBe("Login failed · metal-stack");
      expect((await look(page)).brand).toBe("metal-stack");
    } finally {
      await shown.close();
    }
    expect(await refusedLogin.exited).toBe(3);
    expect(refusedLogin.stderr()).toContain("login refused: access_denied");
  });
});
