import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runProgram } from "../helpers/cli.js";
import { startTestServer, type TestServer } from "../helpers/start-server.js";
import { smokeTestCli } from "./smoke.js";

// `npm run build:sea` (after npm run build): one build of the single executable per run, with the Node
// that runs this suite, then used as a user without Node would: a fresh HOME, a PATH with no node.
let work: string;
let exe: string;
let server: TestServer;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "metalctl-sea-test-"));
  fs.mkdirSync(path.join(work, "bin"));
  exe = path.join(work, "bin", "metalctl");
  // Piped, so a failed build fails the suite with the build's output.
  execFileSync(process.execPath, [path.join(ROOT, "scripts/build-sea.js"), "--out", exe], { stdio: "pipe" });
  server = await startTestServer();
}, 180_000);

afterAll(async () => {
  await server?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe("the single executable", { timeout: 240_000 }, () => {
  it("runs with a fresh HOME and no node on the PATH: version, login into the keychain, a list; refuses a copy others can write and names an unwritable cache", async () => {
    const home = path.join(work, "home");
    fs.mkdirSync(home);
    const env = {
      PATH: path.dirname(exe),
      HOME: home,
      DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(home, "no-bus")}`,
      NO_COLOR: "1",
    };
    const noNode = await runProgram("/bin/sh", ["-c", "command -v node || echo none"], env);
    expect(noNode.stdout.trim()).toBe("none");
    await smokeTestCli([exe], env, server);
    // The package and the keyring's addon were written once, under ~/.cache/metalctl/sea-<version>-<hash>.
    const extracted = fs.readdirSync(path.join(home, ".cache/metalctl")).filter((f) => f.startsWith("sea-"));
    expect(extracted).toEqual([expect.stringMatching(/^sea-\d+\.\d+\.\d+-[0-9a-f]{16}$/)]);
    const files = fs.readdirSync(path.join(home, ".cache/metalctl", extracted[0]!), { recursive: true });
    expect(files.some((f) => f.toString().endsWith(".node"))).toBe(true);

    // A copy others can write to is refused, not run; removing it makes the next run write it again.
    const dir = path.join(home, ".cache/metalctl", extracted[0]!);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    fs.chmodSync(dir, 0o777);
    const refused = await runProgram(exe, ["--version"], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toContain(`${dir} is not a private directory of this user`);
    expect(refused.stderr).toContain("remove it");
    fs.rmSync(dir, { recursive: true });
    const again = await runProgram(exe, ["--version"], env);
    expect(again.stdout).toMatch(/^metalctl\//);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);

    // Nowhere to unpack to: the error names the place and the way out.
    const notADir = path.join(home, "file");
    fs.writeFileSync(notADir, "");
    const unwritable = await runProgram(exe, ["--version"], { ...env, XDG_CACHE_HOME: notADir });
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr).toBe(
      `metalctl: cannot write its files to ${path.join(notADir, "metalctl")} (ENOTDIR): set XDG_CACHE_HOME to a writable directory\n`,
    );
  });
});
