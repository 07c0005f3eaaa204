import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { required } from "../helpers/components.js";
import { exampleTests, PACKAGE_VERSION, run, useClientSuite } from "./client-world.js";

/** findPython returns the first Python 3 that has grpcio and protobuf (Debian's are in /usr/bin). */
async function findPython(): Promise<string | undefined> {
  for (const candidate of [process.env.METAL_TEST_PYTHON, "python3", "/usr/bin/python3"]) {
    if (!candidate) continue;
    const probe = await run(candidate, ["-c", "import grpc, google.protobuf, setuptools, pip"]);
    if (probe.code === 0) return candidate;
  }
  return undefined;
}

const python = await findPython();
const enabled = required(
  python !== undefined,
  "a python3 with grpcio, protobuf, setuptools and pip",
  "apt-get install python3-grpcio python3-protobuf python3-setuptools python3-pip, or run .ci/run",
);

describe.runIf(enabled)("generated Python client against the server", { timeout: 120_000 }, () => {
  let site: string;
  const suite = useClientSuite(async ({ root }) => {
    // Install the package as a user would, so the metadata (packages, version, stubs) is tested too.
    site = path.join(root, "site");
    const pip = await run(python!, [
      ...["-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index", "--quiet"],
      ...["--target", site, path.join(root, "clients/python")],
    ]);
    expect(pip.code, pip.stderr).toBe(0);
  });
  const py = (args: string[], env: NodeJS.ProcessEnv) =>
    run(python!, args, { env: { ...env, PYTHONPATH: site, PYTHONDONTWRITEBYTECODE: "1" } });

  it("installs with the version from package.json and the stubs of every service", () => {
    const dist = fs
      .readdirSync(site)
      .find((f) => f.startsWith("metalctl_client-") && f.endsWith(".dist-info"));
    expect(dist).toBe(`metalctl_client-${PACKAGE_VERSION}.dist-info`);
    for (const stub of [
      "api/v2/machine_pb2_grpc.py",
      "admin/v2/machine_pb2_grpc.py",
      "api/v2/machine_pb2.pyi",
    ]) {
      expect(fs.existsSync(path.join(site, "metalstack", stub)), stub).toBe(true);
    }
  });

  it("passes the helper's own unit tests", async () => {
    const tests = path.join(suite.root, "clients/python/tests");
    const r = await py(["-m", "unittest", "discover", "-s", tests], process.env);
    expect(r.stderr).toMatch(/\nOK\n?$/);
    expect(r.code).toBe(0);
  });

  const script = () => path.join(suite.root, "clients/python/examples/machines.py");
  exampleTests(suite, (args, env) => py([script(), ...args], env), {
    permissionDenied: /^PERMISSION_DENIED: /,
    unauthenticated: /^UNAUTHENTICATED: /,
    // grpc core logs the failed handshake itself before the script prints the status.
    tlsFailure: /^UNAVAILABLE: .*Ssl handshake failed/m,
  });
});
