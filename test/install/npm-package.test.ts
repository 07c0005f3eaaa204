import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runProgram } from "../helpers/cli.js";
import { startTestServer, type TestServer } from "../helpers/start-server.js";
import { type LoopbackRegistry, npmCacheDir, startLoopbackRegistry } from "./loopback-registry.js";
import { smokeTestCli } from "./smoke.js";

// `npm run pack` (after npm run build) and `npm install -g` of the tarball into a fresh prefix with a
// fresh HOME, as a user without the repository would. Its dependencies come from a registry on
// 127.0.0.1 serving the tarballs that `npm ci` left in the npm cache.
let work: string;
let tarball: string;
let registry: LoopbackRegistry;
let server: TestServer;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "metalctl-npm-install-"));
  const out = execFileSync(process.execPath, [path.join(ROOT, "scripts/pack-cli.js"), "--out", work], {
    encoding: "utf8",
  });
  tarball = out.trim().split(" ")[0]!;
  const shrinkwrap = JSON.parse(
    execFileSync("tar", ["-xzOf", tarball, "package/npm-shrinkwrap.json"], { encoding: "utf8" }),
  );
  registry = await startLoopbackRegistry(shrinkwrap, npmCacheDir());
  server = await startTestServer();
}, 120_000);

afterAll(async () => {
  await registry?.close();
  await server?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe("the npm package of metalctl", { timeout: 240_000 }, () => {
  it("holds the CLI alone: no server code, no dev dependencies, no install scripts, pinned dependencies", () => {
    const list = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n");
    expect(list).toContain("package/bin/run.cjs");
    expect(list).toContain("package/oclif.manifest.json");
    expect(list).toContain("package/dist/completion-index.json");
    expect(list.filter((f) => /^package\/dist\/src\/(server|idp)\/|apiserver/.test(f))).toEqual([]);
    const pkg = JSON.parse(
      execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" }),
    );
    expect(pkg.bin).toEqual({ metalctl: "bin/run.cjs" });
    expect(pkg.scripts).toBeUndefined();
    expect(pkg.devDependencies).toBeUndefined();
    expect(Object.keys(pkg.dependencies).sort()).toEqual(["@napi-rs/keyring", "jq-wasm", "open"]);
    const rootPkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    for (const [name, version] of Object.entries(pkg.dependencies))
      expect(version).toBe(rootPkg.dependencies[name]);
  });

  it("installs with npm install -g into a fresh prefix and HOME and works without the repository", async () => {
    const home = path.join(work, "home");
    const prefix = path.join(work, "prefix");
    fs.mkdirSync(home);
    const npmEnv = {
      PATH: process.env.PATH,
      HOME: home,
      npm_config_registry: `${registry.url}/`,
      npm_config_cache: path.join(home, ".npm"),
      // Anything but the loopback registry goes to a closed port and fails the install.
      npm_config_proxy: "http://127.0.0.1:9/",
      npm_config_https_proxy: "http://127.0.0.1:9/",
      npm_config_noproxy: "127.0.0.1",
    };
    const install = await runProgram(
      "npm",
      ["install", "-g", "--prefix", prefix, "--no-audit", "--no-fund", "--no-update-notifier", tarball],
      npmEnv,
      "",
      { cwd: home, timeout: 180_000 },
    );
    expect(install, install.stderr).toMatchObject({ code: 0 });
    // Only the locked versions, fetched from the loopback registry; this platform's keyring build among them.
    expect(registry.requested).toContain("open@11.0.4");
    expect(
      registry.requested.some((p) => p.startsWith(`@napi-rs/keyring-${process.platform}-${process.arch}`)),
    ).toBe(true);
    const installed = path.join(prefix, "lib/node_modules/metalctl");
    expect(fs.existsSync(path.join(installed, "node_modules/typescript"))).toBe(false);
    expect(fs.existsSync(path.join(installed, "node_modules/better-sqlite3"))).toBe(false);

    await smokeTestCli(
      [path.join(prefix, "bin/metalctl")],
      {
        // The Node that runs this suite is the user's node; nothing of the repository is on the PATH.
        PATH: `${path.join(prefix, "bin")}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
        HOME: home,
        DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(home, "no-bus")}`,
        NO_COLOR: "1",
      },
      server,
    );
  });
});
