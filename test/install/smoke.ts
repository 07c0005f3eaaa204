import { expect } from "vitest";
import { createProject } from "../../src/server/tenancy/projects.js";
import { ensureUser } from "../../src/server/tenancy/users.js";
import { runProgram } from "../helpers/cli.js";
import { keychainAvailable } from "../helpers/components.js";
import type { TestServer } from "../helpers/start-server.js";

// Run inside a private D-Bus session with an unlocked gnome-keyring, as on a desktop, so the login
// goes through the keyring's native addon; metalctl runs with the user's PATH ($CLI_PATH).
const SESSION = [
  'printf "keyring-pw" | gnome-keyring-daemon --unlock --components=secrets >/dev/null',
  'PATH="$CLI_PATH" "$@" login --with-token --api-url "$API_URL" --context lab $LOGIN_FLAGS <<<"$TOKEN"; echo "LOGIN=$?"',
  'echo "<status>"; PATH="$CLI_PATH" "$@" auth status -o json; echo "</status>"',
  'echo "<list>"; PATH="$CLI_PATH" "$@" project list -o json; echo "</list>"',
  'echo "<complete>"; PATH="$CLI_PATH" "$@" __complete project describe ""; echo "</complete>"',
].join("\n");

const between = (text: string, tag: string) =>
  text.slice(text.indexOf(`<${tag}>`) + tag.length + 2, text.indexOf(`</${tag}>`));

/**
 * smokeTestCli runs an installed metalctl (`argv`: program and leading arguments) as a new user
 * would, with `env` as its whole environment: --version, then login --with-token to the server
 * (into the OS keychain where gnome-keyring is installed, else the 0600 file), auth status, a
 * list of the user's projects through the stored login, and their dynamic completion.
 */
export async function smokeTestCli(
  argv: string[],
  env: NodeJS.ProcessEnv,
  server: TestServer,
): Promise<void> {
  const [cmd, ...lead] = argv as [string, ...string[]];
  const version = await runProgram(cmd, [...lead, "--version"], env, "", { cwd: env.HOME });
  expect(version.stderr).toBe("");
  expect(version.stdout).toMatch(/^metalctl\/\d+\.\d+\.\d+ /);

  await ensureUser(server.ctx, { id: "installer", name: "Installer", email: "" });
  const project = await createProject(server.ctx, "installer", "installer", {
    name: "installed",
    description: "",
    labels: {},
  });
  const { accessToken } = await server.ctx.tokens.issueUserSession("installer");
  const keychain = keychainAvailable();
  const { DBUS_SESSION_BUS_ADDRESS: _noBus, ...sessionEnv } = env;
  const r = await runProgram(
    keychain ? "dbus-run-session" : "bash",
    [
      ...(keychain ? ["--", "bash"] : []),
      "-c",
      keychain ? SESSION : SESSION.split("\n").slice(1).join("\n"),
      "smoke",
      ...argv,
    ],
    {
      ...(keychain ? sessionEnv : env),
      PATH: "/usr/bin:/bin",
      CLI_PATH: env.PATH,
      API_URL: server.url,
      TOKEN: accessToken,
      LOGIN_FLAGS: keychain ? "" : "--insecure-storage",
    },
    "",
    { cwd: env.HOME, timeout: 120_000 },
  );
  expect(r.stdout, r.stderr).toContain("LOGIN=0");
  expect(JSON.parse(between(r.stdout, "status")), r.stderr).toMatchObject({
    storage: keychain ? "keychain" : "file",
    context: "lab",
    user: { id: "installer" },
  });
  const list = between(r.stdout, "list");
  expect(list, r.stderr).toContain(project.id);
  expect(list).toContain('"installed"');
  // A TAB on an empty cache: completion loads its lazy modules and asks the server.
  expect(between(r.stdout, "complete"), r.stderr).toContain(project.id);
}
