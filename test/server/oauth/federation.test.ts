import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { saveStoredConnector } from "../../../src/idp/connector-store.js";
import { defaultUpstreamOidcConfig } from "../../../src/idp/connectors/upstream-oidc.js";
import { createLocalUser } from "../../../src/idp/local-users.js";
import { defaultIdentityConfig } from "../../../src/server/oauth/identity-config.js";
import { idpDeps } from "../../../src/server/oauth/runtime.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import { authorizeUrl, exchangeCode, newPkce } from "./cli-side.js";
import { HttpBrowser } from "./http-browser.js";

const LOOPBACK = "http://127.0.0.1:49154/callback";
const PASSWORD = "Upstream-Secret-7";

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/**
 * Server "upstream" plays a corporate OpenID provider (its embedded provider, under the host name
 * localhost so its cookies do not mix with the others' on 127.0.0.1). One server trusts it as its
 * external provider, another offers it as a connector of its own embedded provider.
 */
describe("external and upstream OpenID providers", { timeout: 120_000 }, () => {
  let upstream: TestServer;
  let external: TestServer;
  let federated: TestServer;

  beforeAll(async () => {
    const upstreamPort = await freePort();
    upstream = await startTestServer(
      { listen: `127.0.0.1:${upstreamPort}`, publicUrl: `http://localhost:${upstreamPort}` },
      { stdout: () => {} },
    );
    await createLocalUser(idpDeps(upstream.ctx), {
      id: "zoe",
      displayName: "Zoe Upstream",
      email: "zoe@corp.example",
      roles: ["cluster-admin"],
      password: PASSWORD,
      mustChangePassword: false,
    });
    const [externalPort, federatedPort] = [await freePort(), await freePort()];
    const register = (id: string, secret: string, redirect: string) =>
      upstream.ctx.db.kysely
        .insertInto("idp_clients")
        .values({
          client_id: id,
          name: id,
          client_secret: secret,
          redirect_uris: JSON.stringify([redirect]),
          created_at: new Date().toISOString(),
        })
        .execute();
    await register(
      "external-rp",
      "external-secret-0123456789",
      `http://127.0.0.1:${externalPort}/auth/callback`,
    );
    await register(
      "federated-idp",
      "federated-secret-0123456789",
      `http://127.0.0.1:${federatedPort}/idp/connector/oidc/callback`,
    );
    await register(
      "stored-idp",
      "stored-secret-0123456789",
      `http://127.0.0.1:${federatedPort}/idp/connector/corp-sso/callback`,
    );
    const issuer = `http://localhost:${upstreamPort}/idp`;
    external = await startTestServer(
      {
        listen: `127.0.0.1:${externalPort}`,
        identity: {
          ...defaultIdentityConfig(),
          issuerUrl: issuer,
          clientId: "external-rp",
          clientSecret: "external-secret-0123456789",
          userPrefix: "corp:",
        },
      },
      { stdout: () => {} },
    );
    federated = await startTestServer(
      {
        listen: `127.0.0.1:${federatedPort}`,
        identity: {
          ...defaultIdentityConfig(),
          upstream: {
            ...defaultIdentityConfig().upstream,
            issuerUrl: issuer,
            clientId: "federated-idp",
            clientSecret: "federated-secret-0123456789",
            displayName: "Corp SSO",
          },
        },
      },
      { stdout: () => {} },
    );
  });
  afterAll(async () => {
    await federated?.close();
    await external?.close();
    await upstream?.close();
  });

  /** loginUpstream logs `username` in at the upstream provider through `external`; returns where it sends the browser back. */
  async function loginUpstream(username: string) {
    const b = new HttpBrowser();
    const pkce = newPkce();
    const page = await b.follow(
      authorizeUrl(external.url, {
        redirectUri: LOOPBACK,
        state: "x",
        challenge: pkce.challenge,
        method: "S256",
      }),
    );
    expect(page.url).toContain(`localhost:${upstream.port}/idp/interaction/`);
    const { url } = await b.submitLogin(
      page.url,
      await page.res.text(),
      { username, password: PASSWORD },
      LOOPBACK,
    );
    return { url, pkce };
  }

  it("logs in through an external provider: prefixed user key, groups mapped, ID token verified", async () => {
    const { url, pkce } = await loginUpstream("zoe");
    expect(url.startsWith(LOOPBACK)).toBe(true);
    const res = await exchangeCode(
      external.url,
      new URL(url).searchParams.get("code")!,
      pkce.verifier,
      LOOPBACK,
    );
    expect(res.status).toBe(200);
    const user = await external.ctx.db.kysely
      .selectFrom("users")
      .selectAll()
      .where("id", "=", "corp:zoe")
      .executeTakeFirstOrThrow();
    expect(user.email).toBe("zoe@corp.example");
    expect(user.admin_role).toBe(AdminRole.EDITOR);
    // No embedded provider runs when an external one is configured.
    expect((await fetch(`${external.url}/idp/.well-known/openid-configuration`)).status).toBe(404);
  });

  it("refuses a login whose upstream display name holds bidi characters, storing no user", async () => {
    // The upstream directory is not ours: its names reach the API without a request to check them.
    await createLocalUser(idpDeps(upstream.ctx), {
      id: "mallory",
      displayName: "Mallory \u202enimda",
      email: "mallory@corp.example",
      roles: [],
      password: PASSWORD,
      mustChangePassword: false,
    });
    const { url } = await loginUpstream("mallory");
    const back = new URL(url);
    expect(back.searchParams.get("error")).toBe("access_denied");
    expect(back.searchParams.get("error_description")).toContain(
      "user name: bidirectional formatting character U+202E",
    );
    expect(back.searchParams.get("code")).toBeNull();
    const stored = await external.ctx.db.kysely
      .selectFrom("users")
      .select("id")
      .where("id", "=", "corp:mallory")
      .executeTakeFirst();
    expect(stored).toBeUndefined();
  });

  it("offers the upstream provider as a connector of the embedded provider", async () => {
    const b = new HttpBrowser();
    const pkce = newPkce();
    const choice = await b.follow(
      authorizeUrl(federated.url, {
        redirectUri: LOOPBACK,
        state: "y",
        challenge: pkce.challenge,
        method: "S256",
      }),
    );
    const html = await choice.res.text();
    expect(html).toContain("Log in with Corp SSO");
    const href = /href="([^"]*connector=oidc)"/.exec(html)![1]!.replaceAll("&amp;", "&");
    const upstreamPage = await b.follow(new URL(href, choice.url).href);
    expect(upstreamPage.url).toContain(`localhost:${upstream.port}/idp/interaction/`);
    const { url } = await b.submitLogin(
      upstreamPage.url,
      await upstreamPage.res.text(),
      { username: "zoe", password: PASSWORD },
      LOOPBACK,
    );
    expect(url.startsWith(LOOPBACK)).toBe(true);
    const res = await exchangeCode(
      federated.url,
      new URL(url).searchParams.get("code")!,
      pkce.verifier,
      LOOPBACK,
    );
    expect(res.status).toBe(200);
    const user = await federated.ctx.db.kysely
      .selectFrom("users")
      .selectAll()
      .where("id", "=", "oidc:zoe")
      .executeTakeFirstOrThrow();
    expect(user.name).toBe("Zoe Upstream");
    expect(user.admin_role).toBe(AdminRole.EDITOR);
  });

  it("logs in through an upstream connector an operator stored in the database", async () => {
    await saveStoredConnector(idpDeps(federated.ctx), {
      id: "corp-sso",
      name: "Stored SSO",
      type: "oidc",
      createdAt: new Date(),
      oidc: {
        ...defaultUpstreamOidcConfig(),
        issuerUrl: `http://localhost:${upstream.port}/idp`,
        clientId: "stored-idp",
        clientSecret: "stored-secret-0123456789",
      },
    });
    const b = new HttpBrowser();
    const pkce = newPkce();
    const choice = await b.follow(
      authorizeUrl(federated.url, {
        redirectUri: LOOPBACK,
        state: "w",
        challenge: pkce.challenge,
        method: "S256",
      }),
    );
    const html = await choice.res.text();
    const href = /href="([^"]*connector=corp-sso)"/.exec(html)![1]!.replaceAll("&amp;", "&");
    const upstreamPage = await b.follow(new URL(href, choice.url).href);
    const { url } = await b.submitLogin(
      upstreamPage.url,
      await upstreamPage.res.text(),
      { username: "zoe", password: PASSWORD },
      LOOPBACK,
    );
    expect(url.startsWith(LOOPBACK)).toBe(true);
    const user = await federated.ctx.db.kysely
      .selectFrom("users")
      .select("id")
      .where("id", "=", "corp-sso:zoe")
      .executeTakeFirst();
    expect(user?.id).toBe("corp-sso:zoe");
  });
});
