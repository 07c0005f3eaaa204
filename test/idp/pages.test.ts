import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectorChoicePage, loginPage, passwordChangePage } from "../../src/idp/pages/login.js";
import { deviceApprovalPage, deviceCodePage } from "../../src/server/oauth/device-pages.js";
import { escapeHtml } from "../../src/shared/pages/layout.js";
import { messagePage } from "../../src/shared/pages/message.js";
import { startTestServer, type TestServer } from "../helpers/start-server.js";
import { authorizeUrl, newPkce } from "../server/oauth/cli-side.js";
import { HttpBrowser } from "../server/oauth/http-browser.js";

const pages = {
  login: loginPage({
    action: "/a",
    csrf: "c",
    connectorName: "local account",
    cancelHref: "/c",
    error: "Invalid",
    backHref: "/b",
  }),
  choice: connectorChoicePage([{ id: "ldap", name: "LDAP", href: "/x" }]),
  password: passwordChangePage({
    action: "/a",
    csrf: "c",
    ticket: "t",
    username: "u",
    policy: "p",
    error: "e",
  }),
  deviceCode: deviceCodePage({ action: "/auth/device", error: "wrong" }),
  approval: deviceApprovalPage({
    action: "/auth/device/approve",
    ticket: "t",
    clientName: "metalctl",
    userCode: "BCDF-GHJK",
    requesterAddress: "192.0.2.1",
    requesterAgent: "metalctl/1.0 <script>alert(1)</script>",
    requestedAt: "2026-01-01T00:00:00Z",
    userName: "u",
  }),
  message: messagePage("Done", "ok"),
};

describe("styled pages", () => {
  it.each(
    Object.entries(pages),
  )("%s is accessible, responsive and loads nothing from outside", (_name, html) => {
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).not.toMatch(/<script|@import|url\(/);
    // Every visible input has a label pointing at it.
    for (const [, id] of html.matchAll(/<input type="(?:text|password)" id="([^"]+)"/g)) {
      expect(html).toContain(`<label for="${id}">`);
    }
    // Errors are announced to screen readers.
    if (html.includes('class="error"')) expect(html).toContain('role="alert"');
  });

  it("escapes what a device or user controls", () => {
    expect(pages.approval).not.toContain("<script>alert(1)</script>");
    expect(pages.approval).toContain(escapeHtml("<script>alert(1)</script>"));
  });

  describe("served by the server", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({}, { stdout: () => {} });
    });
    afterAll(() => server?.close());

    it("sends the login page with a strict content security policy and no caching", async () => {
      const b = new HttpBrowser();
      const { res } = await b.follow(
        authorizeUrl(server.url, {
          redirectUri: "http://127.0.0.1:1234/callback",
          state: "s",
          challenge: newPkce().challenge,
          method: "S256",
        }),
      );
      expect(res.status).toBe(200);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain("unsafe-inline");
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      const html = await res.text();
      // A single connector: no choice page, straight to the form.
      expect(html).toContain('name="password"');
      expect(html).not.toContain("Other ways to log in");
    });
  });
});
