import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { required } from "../helpers/components.js";
import { exampleTests, PACKAGE_VERSION, run, useClientSuite } from "./client-world.js";

/** DEBIAN_GOPATH is where Debian's golang-*-dev packages put the Go sources (a GOPATH tree). */
const DEBIAN_GOPATH = "/usr/share/gocode";

const goFound = (await run("go", ["version"])).code === 0;
const enabled = required(
  goFound && fs.existsSync(path.join(DEBIAN_GOPATH, "src/google.golang.org/grpc/credentials/local")),
  "go with Debian's gRPC and protobuf packages",
  "apt-get install golang-go golang-google-grpc-dev, or run .ci/run",
);

describe.runIf(enabled)("generated Go client against the server", { timeout: 120_000 }, () => {
  let goEnv: NodeJS.ProcessEnv;
  let machines: string;
  let moduleDir: string;
  const suite = useClientSuite(async ({ root }) => {
    // Offline, the module builds in GOPATH mode against Debian's sources: module mode would need
    // the module proxy (or a vendor/modules.txt that Debian does not ship) for the same packages.
    // The module moves into the GOPATH, since `go vet metalctl/client/...` does not follow symlinks.
    const gopath = path.join(root, "gopath");
    moduleDir = path.join(gopath, "src/metalctl/client");
    fs.mkdirSync(path.dirname(moduleDir), { recursive: true });
    fs.renameSync(path.join(root, "clients/go"), moduleDir);
    goEnv = {
      ...process.env,
      GO111MODULE: "off",
      GOPATH: `${gopath}:${DEBIAN_GOPATH}`,
      // Without the temporary path in the build, every run reuses the compiled packages of the last one.
      GOFLAGS: "-trimpath",
      GOPROXY: "off",
    };
    machines = path.join(root, "machines");
    const build = await run("go", ["build", "-o", machines, "metalctl/client/examples/machines"], {
      env: goEnv,
      cwd: root,
    });
    expect(build.code, build.stderr).toBe(0);
  });

  it("builds every generated package and passes the helper's own tests", async () => {
    const vet = await run("go", ["vet", "metalctl/client/..."], { env: goEnv, cwd: suite.root });
    expect(vet.stderr).toBe("");
    const test = await run("go", ["test", "metalctl/client"], { env: goEnv, cwd: suite.root });
    expect(test.stdout).toMatch(/^ok\s+metalctl\/client\s/);
    expect(test.code).toBe(0);
  }, 600_000);

  it("carries the version from package.json", () => {
    const versionGo = fs.readFileSync(path.join(moduleDir, "version.go"), "utf8");
    expect(versionGo).toContain(`const Version = "${PACKAGE_VERSION}"`);
  });

  exampleTests(suite, (args, env) => run(machines, args, { env }), {
    permissionDenied: /^rpc error: code = PermissionDenied desc = /,
    unauthenticated: /^rpc error: code = Unauthenticated desc = /,
    tlsFailure: /^rpc error: code = Unavailable desc = .*tls: /,
  });
});
