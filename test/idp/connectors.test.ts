import path from "node:path";
import { fileURLToPath } from "node:url";
import { Code, ConnectError, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectorService } from "../../src/gen/metalstack/admin/v2/connector_pb.js";
import { AdminRole } from "../../src/gen/metalstack/api/v2/common_pb.js";
import { ensureUser } from "../../src/server/tenancy/users.js";
import { slapdAvailable } from "../helpers/components.js";
import { startTestServer, type TestServer } from "../helpers/start-server.js";
import { authorizeUrl, newPkce } from "../server/oauth/cli-side.js";
import { HttpBrowser } from "../server/oauth/http-browser.js";
import { type Slapd, startSlapd } from "./slapd.js";

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "directory.ldif");
const LOOPBACK = "http://127.0.0.1:49156/callback";

describe.runIf(slapdAvailable())("connectors added through the admin API", { timeout: 120_000 }, () => {
  let slapd: Slapd;
  let server: TestServer;

  const connectors = async (adminRole: AdminRole) => {
    await ensureUser(server.ctx, { id: `op-${adminRole}`, name: "op", email: "", adminRole });
    const token = (await server.ctx.tokens.issueUserSession(`op-${adminRole}`)).accessToken;
    const bearer: Interceptor = (next) => (req) => {
      req.header.set("authorization", `Bearer ${token}`);
      return next(req);
    };
    return createClient(
      ConnectorService,
      createConnectTransport({ baseUrl: server.url, httpVersion: "1.1", interceptors: [bearer] }),
    );
  };
  const loginPage = async (b: HttpBrowser) => {
    const page = await b.follow(
      authorizeUrl(server.url, {
        redirectUri: LOOPBACK,
        state: "s",
        challenge: newPkce().challenge,
        method: "S256",
      }),
    );
    return { url: page.url, html: await page.res.text() };
  };

  beforeAll(async () => {
    slapd = await startSlapd(FIXTURE);
    server = await startTestServer({}, { stdout: () => {} });
  });
  afterAll(async () => {
    await server?.close();
    await slapd?.stop();
  });

  it("offers a stored LDAP connector at once, logs in through it, and hides its secret", async () => {
    const admin = await connectors(AdminRole.EDITOR);
    const created = await admin.create({
      connector: {
        id: "corp",
        name: "Corp directory",
        config: {
          case: "ldap",
          value: {
            url: slapd.url,
            bindDn: slapd.bindDn,
            bindPassword: slapd.bindPassword,
            userBaseDn: `ou=people,${slapd.baseDn}`,
            groupBaseDn: `ou=groups,${slapd.baseDn}`,
          },
        },
      },
    });
    expect(created.connector?.config.case).toBe("ldap");
    const listed = await admin.list({});
    expect(listed.connectors.map((c) => c.id)).toEqual(["corp"]);
    const ldap = listed.connectors[0]!.config;
    expect(ldap.case === "ldap" && ldap.value.bindPassword).toBe("");
    expect(ldap.case === "ldap" && ldap.value.userFilter).toContain("{username}");

    const b = new HttpBrowser();
    const choice = await loginPage(b);
    expect(choice.html).toContain("Log in with Corp directory");
    const href = /href="([^"]*connector=corp)"/.exec(choice.html)![1]!.replaceAll("&amp;", "&");
    const form = await b.follow(new URL(href, choice.url).href);
    const { url } = await b.submitLogin(
      form.url,
      await form.res.text(),
      { username: "jdoe", password: "Ldap-Secret-123" },
      LOOPBACK,
    );
    expect(url.startsWith(LOOPBACK)).toBe(true);
    const user = await server.ctx.db.kysely
      .selectFrom("users")
      .selectAll()
      .where("id", "=", "corp:jdoe")
      .executeTakeFirst();
    expect(user?.name).toBe("John Doe");

    await admin.delete({ id: "corp" });
    const after = await loginPage(new HttpBrowser());
    expect(after.html).not.toContain("Corp directory");
    expect(after.html).toContain('name="password"');
  });

  it("refuses bad connectors naming the field, and viewers", async () => {
    const admin = await connectors(AdminRole.EDITOR);
    const code = (p: Promise<unknown>) => p.then(() => undefined).catch((e: unknown) => ConnectError.from(e));
    const bad = [
      { id: "local", config: { case: "ldap" as const, value: { url: slapd.url, userBaseDn: "dc=x" } } },
      { id: "x1", config: { case: "ldap" as const, value: { url: "http://x", userBaseDn: "dc=x" } } },
      { id: "x2", config: { case: "ldap" as const, value: { url: slapd.url } } },
      { id: "x3", config: { case: "oidc" as const, value: { issuerUrl: "https://sso.example.com" } } },
      { id: "x4", config: { case: undefined } },
    ];
    for (const connector of bad) {
      const err = await code(admin.create({ connector }));
      expect(err?.code).toBe(Code.InvalidArgument);
      expect(err?.rawMessage).toMatch(/^connector\./);
    }
    const viewer = await connectors(AdminRole.VIEWER);
    expect((await viewer.list({})).connectors).toEqual([]);
    const denied = await code(
      viewer.create({
        connector: { id: "corp2", config: { case: "ldap", value: { url: slapd.url, userBaseDn: "dc=x" } } },
      }),
    );
    expect(denied?.code).toBe(Code.PermissionDenied);
  });
});
