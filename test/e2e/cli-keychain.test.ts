import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ensureUser } from "../../src/server/tenancy/users.js";
import { CLI_BIN, type CliSandbox, createCliSandbox, runProgram } from "../helpers/cli.js";
import { keychainAvailable } from "../helpers/components.js";
import { startTestServer, type TestServer } from "../helpers/start-server.js";

// Runs the BUILT CLI inside a private D-Bus session with an unlocked gnome-keyring (Secret Service),
// the way a desktop user has it. .ci/run installs gnome-keyring, dbus and libsecret.
let server: TestServer;
let cli: CliSandbox;

beforeAll(async () => {
  server = await startTestServer({}, { stdout: () => {} });
  await ensureUser(server.ctx, { id: "carol", name: "Carol", email: "carol@example.com" });
  cli = createCliSandbox();
});

afterAll(async () => {
  cli?.cleanup();
  await server?.close();
});

// Reads the keychain entry of context "kc" from inside the same D-Bus session.
const READ_ENTRY = `node --input-type=module -e '
import { Entry } from "@napi-rs/keyring";
const v = new Entry("metalctl", "kc", { linux: { store: "secret-service" } }).getPassword();
console.log("ENTRY=" + (v ? JSON.parse(v).accessToken.slice(0, 12) : "none"));
'`;

describe("credentials in the OS keychain", { timeout: 120_000 }, () => {
  it.runIf(keychainAvailable())(
    "stores the tokens in the Secret Service, uses them, and deletes them on logout",
    async () => {
      const token = (await server.ctx.tokens.issueUserSession("carol")).accessToken;
      const script = [
        "set -u",
        'printf "keyring-pw" | gnome-keyring-daemon --unlock --components=secrets >/dev/null',
        `printf '%s' "$TOKEN" | node ${CLI_BIN} login --with-token --api-url ${server.url} --context kc; echo "LOGIN=$?"`,
        READ_ENTRY,
        `node ${CLI_BIN} auth status -o json; echo "STATUS=$?"`,
        `node ${CLI_BIN} logout; echo "LOGOUT=$?"`,
        READ_ENTRY,
      ].join("\n");
      const { DBUS_SESSION_BUS_ADDRESS: _noBus, ...env } = cli.env;
      const r = await runProgram(
        "dbus-run-session",
        ["--", "bash", "-c", script],
        { ...env, TOKEN: token },
        "",
      );
      const out = r.stdout;
      expect(out, r.stderr).toContain("LOGIN=0");
      expect(r.stderr).not.toContain("no usable OS keychain");
      expect(r.stderr).toContain("credentials in the keychain");
      const entries = [...out.matchAll(/^ENTRY=(.*)$/gm)].map((m) => m[1]);
      expect(entries).toEqual([token.slice(0, 12), "none"]);
      const status = JSON.parse(out.slice(out.indexOf("{"), out.indexOf("STATUS=")));
      expect(status).toMatchObject({ storage: "keychain", context: "kc", user: { id: "carol" } });
      expect(out).toContain("STATUS=0");
      expect(out).toContain("LOGOUT=0");
      const config = parse(fs.readFileSync(path.join(cli.configDir, "config.yaml"), "utf8"));
      expect(config.contexts[0]).toMatchObject({ name: "kc" });
      expect(fs.existsSync(path.join(cli.configDir, "credentials.yaml"))).toBe(false);
      expect(fs.readFileSync(path.join(cli.configDir, "config.yaml"), "utf8")).not.toContain(token);
    },
  );

  it("falls back to the 0600 file with a warning when no keychain answers", async () => {
    const token = (await server.ctx.tokens.issueUserSession("carol")).accessToken;
    const r = await cli.run(["login", "--with-token", "--api-url", server.url, "--context", "nokc"], {
      input: token,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("Warning: no usable OS keychain");
    const file = path.join(cli.configDir, "credentials.yaml");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(parse(fs.readFileSync(file, "utf8")).nokc.accessToken).toBe(token);
    const status = JSON.parse((await cli.run(["auth", "status", "-o", "json", "--context", "nokc"])).stdout);
    expect(status.storage).toBe("file");
  });
});
