import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminRole } from "../../src/gen/metalstack/api/v2/common_pb.js";
import { authenticateLocal } from "../../src/idp/local-users.js";
import { serveConfig } from "../../src/server/main.js";
import { idpDeps } from "../../src/server/oauth/runtime.js";
import { ensureUser } from "../../src/server/tenancy/users.js";
import { CLI_BIN, type CliResult, cliEnv, ROOT, runProgram } from "../helpers/cli.js";
import { slapdAvailable } from "../helpers/components.js";
import { startTestServer, type TestServer } from "../helpers/start-server.js";
import { type Slapd, startSlapd } from "../idp/slapd.js";
import { authorizeUrl, newPkce } from "../server/oauth/cli-side.js";
import { HttpBrowser } from "../server/oauth/http-browser.js";

const GUIDE = fs.readFileSync(path.join(ROOT, "docs/operator-guide.md"), "utf8");
const FIXTURE = path.join(ROOT, "test/idp/fixtures/directory.ldif");
const LOOPBACK = "http://127.0.0.1:49157/callback";

/** The guide's placeholders: the shell variables its commands read, as a reader would set them. */
const SECRETS = {
  ALICE_PASSWORD: "First-Secret-123",
  BOB_PASSWORD: "Other-Secret-456",
  NEW_PASSWORD: "Chosen-Secret-789",
  NEW_ADMIN_PASSWORD: "Super-Secret-321",
  UPSTREAM_CLIENT_SECRET: "upstream-client-secret-value",
};

/** fenced returns the bodies of the guide's code blocks whose info string is exactly `info`, in order. */
function fenced(info: string): string[] {
  const re = new RegExp(`^\`\`\`${info}\\n([\\s\\S]*?)^\`\`\`$`, "gm");
  return [...GUIDE.matchAll(re)].map((m) => m[1]!);
}

/** runBlock runs one block in sh, with `metalctl` meaning the built CLI; it stops at the first failing command. */
function runBlock(block: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  const script = `set -e\nmetalctl() { "${process.execPath}" "${CLI_BIN}" "$@"; }\n${block}`;
  return runProgram("sh", ["-c", script], env);
}

/** serverArgs splits the guide's `metal-apiserver serve …` line as the shell would, without running it. */
async function serverArgs(block: string): Promise<string[]> {
  const line = block.trim();
  expect(line.startsWith("metal-apiserver serve ")).toBe(true);
  const split = await runProgram(
    "sh",
    ["-c", `printf '%s\\0' ${line.slice("metal-apiserver serve ".length)}`],
    { PATH: process.env.PATH },
  );
  return split.stdout.split("\0").slice(0, -1);
}

describe("the operator guide's commands against a real server", { timeout: 180_000 }, () => {
  const withSlapd = slapdAvailable();
  let slapd: Slapd | undefined;
  let server: TestServer;
  let home: string;
  let env: NodeJS.ProcessEnv;
  const blocks = fenced("sh test");
  const outputs: CliResult[] = [];
  const output = (needle: string) => {
    const i = blocks.findIndex((b) => b.includes(needle));
    expect(i, `a test block contains ${needle}`).toBeGreaterThanOrEqual(0);
    return outputs[i]!;
  };

  beforeAll(async () => {
    if (withSlapd) slapd = await startSlapd(FIXTURE);
    const [serverBlock] = fenced("sh server");
    const config = serveConfig(await serverArgs(serverBlock!), {});
    server = await startTestServer({ identity: config.identity });
    await ensureUser(server.ctx, { id: "ops", name: "Ops", email: "", adminRole: AdminRole.EDITOR });
    const token = (await server.ctx.tokens.issueUserSession("ops")).accessToken;
    home = fs.mkdtempSync(path.join(server.dataDir, "home-"));
    env = {
      ...cliEnv(home, server.url, token),
      ...SECRETS,
      LDAP_BIND_PASSWORD: slapd?.bindPassword ?? "ldap-bind-password-value",
    };
    for (const block of blocks) {
      // The guide's example directory stands for the test's slapd when there is one.
      const local = slapd
        ? block
            .replaceAll("ldaps://ldap.example.com:636", slapd.url)
            .replaceAll("cn=metal,ou=services,dc=example,dc=com", slapd.bindDn)
            .replaceAll("dc=example,dc=com", slapd.baseDn)
        : block;
      outputs.push(await runBlock(local, env));
    }
  });
  afterAll(async () => {
    await server?.close();
    await slapd?.stop();
  });

  it("runs every block without an error", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    blocks.forEach((block, i) => {
      expect(outputs[i]!.code, `${block}\n${outputs[i]!.stderr}`).toBe(0);
    });
  });

  it("leaves the local users as described, with the passwords the guide set", async () => {
    const list = output("admin user list").stdout;
    expect(list).toMatch(/alice.*cluster_admin/);
    expect(list).toMatch(/bob.*read_only/);
    expect(output("admin user describe bob").stdout).toMatch(/solution_admin/);
    const oneTime = /"oneTimePassword":\s*"([^"]+)"/.exec(output("ResetPassword").stdout)?.[1] ?? "";
    expect(oneTime).not.toBe("");
    const deps = idpDeps(server.ctx);
    expect((await authenticateLocal(deps, "alice", oneTime)).ok).toBe(true);
    expect((await authenticateLocal(deps, "alice", SECRETS.NEW_PASSWORD)).ok).toBe(false);
    const run = (args: string[]) => runProgram(process.execPath, [CLI_BIN, ...args], env);
    const alice = JSON.parse((await run(["admin", "user", "describe", "alice", "-o", "json"])).stdout);
    expect(alice.mustChangePassword).toBe(true);
    expect((await run(["admin", "user", "describe", "bob"])).code).toBe(5);
  });

  it("gives the super-admin the password set for it, to be replaced at the next login", async () => {
    const login = await authenticateLocal(idpDeps(server.ctx), "admin", SECRETS.NEW_ADMIN_PASSWORD);
    expect(login.ok && login.user.mustChangePassword).toBe(true);
  });

  it("keeps the connectors without their secrets and maps the configured groups", async () => {
    // The block creates the OpenID connector and then lists: its last JSON document is the list.
    const listed = output("ConnectorService/List").stdout;
    const list = JSON.parse(listed.slice(listed.lastIndexOf('{\n  "connectors"')));
    expect(list.connectors.map((c: { id: string }) => c.id)).toEqual(["corp", "sso"]);
    for (const secret of [SECRETS.UPSTREAM_CLIENT_SECRET, env.LDAP_BIND_PASSWORD!]) {
      expect(outputs.map((o) => o.stdout + o.stderr).join("\n")).not.toContain(secret);
    }
    const rows = await server.ctx.db.kysely.selectFrom("idp_connectors").select("id").execute();
    expect(rows.map((r) => r.id)).toEqual(["corp"]);
    expect(server.ctx.config.identity.groupRoles).toMatchObject({
      "cluster-admin": "editor",
      "read-only": "viewer",
      "solution-admin": "tenant-admin",
      "metal-admins": "editor",
      auditors: "viewer",
    });
  });

  it.runIf(withSlapd)(
    "logs a directory user in through the LDAP connector with its group's role",
    async () => {
      const b = new HttpBrowser();
      const choice = await b.follow(
        authorizeUrl(server.url, {
          redirectUri: LOOPBACK,
          state: "s",
          challenge: newPkce().challenge,
          method: "S256",
        }),
      );
      const html = await choice.res.text();
      const href = /href="([^"]*connector=corp)"/.exec(html)![1]!.replaceAll("&amp;", "&");
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
        .select("admin_role")
        .where("id", "=", "corp:jdoe")
        .executeTakeFirstOrThrow();
      expect(user.admin_role).toBe(AdminRole.EDITOR);
    },
  );

  it("registers Grafana with a secret printed once, at the endpoints the guide names", async () => {
    const created = output("oidc-client create grafana");
    const [secret, ...table] = created.stdout.split("\n");
    expect(secret).toMatch(/^\S{20,}$/);
    expect(table.join("\n")).toMatch(
      /grafana\s+Grafana\s+https:\/\/grafana\.example\.com\/login\/generic_oauth/,
    );
    expect(created.stderr).toContain("shown only now");
    const ini = /```ini\n([\s\S]*?)```/.exec(GUIDE)![1]!;
    const setting = (key: string) =>
      new RegExp(`^${key} = (.*)$`, "m").exec(ini)![1]!.replace("https://metal.example.com", server.url);
    const discovery = (await (await fetch(`${server.url}/idp/.well-known/openid-configuration`)).json()) as {
      scopes_supported: string[];
    };
    expect(discovery).toMatchObject({
      issuer: `${server.url}/idp`,
      authorization_endpoint: setting("auth_url"),
      token_endpoint: setting("token_url"),
      userinfo_endpoint: setting("api_url"),
    });
    expect(discovery.scopes_supported).toEqual(expect.arrayContaining(setting("scopes").split(" ")));
    expect(output("oidc-client delete grafana").code).toBe(0);
  });
});
