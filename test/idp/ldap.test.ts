import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminRole } from "../../src/gen/metalstack/api/v2/common_pb.js";
import { defaultLdapConfig } from "../../src/idp/connectors/ldap.js";
import { defaultIdentityConfig } from "../../src/server/oauth/identity-config.js";
import { slapdAvailable } from "../helpers/components.js";
import { startTestServer, type TestServer } from "../helpers/start-server.js";
import { authorizeUrl, exchangeCode, newPkce } from "../server/oauth/cli-side.js";
import { HttpBrowser } from "../server/oauth/http-browser.js";
import { type Slapd, startSlapd } from "./slapd.js";

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "directory.ldif");
const LOOPBACK = "http://127.0.0.1:49153/callback";

describe.runIf(slapdAvailable())("LDAP login against a real slapd", { timeout: 120_000 }, () => {
  let slapd: Slapd;
  let server: TestServer;

  beforeAll(async () => {
    slapd = await startSlapd(FIXTURE);
    server = await startTestServer(
      {
        identity: {
          ...defaultIdentityConfig(),
          groupRoles: { "cluster-admin": "editor", "metal-admins": "editor", auditors: "viewer" },
          ldap: {
            ...defaultLdapConfig(),
            url: slapd.url,
            bindDn: slapd.bindDn,
            bindPassword: slapd.bindPassword,
            userBaseDn: `ou=people,${slapd.baseDn}`,
            groupBaseDn: `ou=groups,${slapd.baseDn}`,
            displayName: "Example LDAP",
          },
        },
      },
      { stdout: () => {} },
    );
  });
  afterAll(async () => {
    await server?.close();
    await slapd?.stop();
  });

  /** ldapLogin picks the LDAP connector on the choice page and logs in; returns the final page or callback. */
  async function ldapLogin(username: string, password: string) {
    const b = new HttpBrowser();
    const pkce = newPkce();
    const choice = await b.follow(
      authorizeUrl(server.url, {
        redirectUri: LOOPBACK,
        state: "s",
        challenge: pkce.challenge,
        method: "S256",
      }),
    );
    const html = await choice.res.text();
    // Two connectors are configured, so the provider asks which one to use.
    expect(html).toContain("Log in with Example LDAP");
    expect(html).toContain("Log in with local account");
    const href = /href="([^"]*connector=ldap)"/.exec(html)![1]!.replaceAll("&amp;", "&");
    const form = await b.follow(new URL(href, choice.url).href);
    const formHtml = await form.res.text();
    expect(formHtml).toContain("with Example LDAP");
    return { pkce, ...(await b.submitLogin(form.url, formHtml, { username, password }, LOOPBACK)) };
  }

  it("logs an LDAP user in as ldap:<uid> and maps its group to admin editor", async () => {
    const { pkce, url } = await ldapLogin("jdoe", "Ldap-Secret-123");
    expect(url.startsWith(LOOPBACK)).toBe(true);
    const res = await exchangeCode(
      server.url,
      new URL(url).searchParams.get("code")!,
      pkce.verifier,
      LOOPBACK,
    );
    expect(res.status).toBe(200);
    const user = await server.ctx.db.kysely
      .selectFrom("users")
      .selectAll()
      .where("id", "=", "ldap:jdoe")
      .executeTakeFirstOrThrow();
    expect(user.name).toBe("John Doe");
    expect(user.email).toBe("jdoe@example.org");
    expect(user.admin_role).toBe(AdminRole.EDITOR);
  });

  it("maps another group to admin viewer", async () => {
    const { url } = await ldapLogin("asmith", "Ldap-Secret-456");
    expect(url.startsWith(LOOPBACK)).toBe(true);
    const user = await server.ctx.db.kysely
      .selectFrom("users")
      .selectAll()
      .where("id", "=", "ldap:asmith")
      .executeTakeFirstOrThrow();
    expect(user.admin_role).toBe(AdminRole.VIEWER);
  });

  it.each([
    ["a wrong password", "jdoe", "wrong-password"],
    ["an unknown user", "nobody", "Ldap-Secret-123"],
    ["an empty password (anonymous bind)", "jdoe", ""],
    ["a filter injection", "*)(uid=*", "Ldap-Secret-123"],
  ])("refuses %s", async (_name, username, password) => {
    const { res } = await ldapLogin(username, password);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("Invalid user name or password.");
  });
});
