import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MachineService as AdminMachineService } from "../../../src/gen/metalstack/admin/v2/machine_pb.js";
import { NetworkService as AdminNetworkService } from "../../../src/gen/metalstack/admin/v2/network_pb.js";
import { FirewallService } from "../../../src/gen/metalstack/api/v2/firewall_pb.js";
import { MachineService, MachineState } from "../../../src/gen/metalstack/api/v2/machine_pb.js";
import { NetworkService, NetworkType } from "../../../src/gen/metalstack/api/v2/network_pb.js";
import { fakeApi } from "../../helpers/fake-api.js";
import { runCommand } from "../../helpers/run-command.js";

let home: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), "metalctl-filters-"));
  env = { HOME: home, METALCTL_API_URL: "http://127.0.0.1:1", METALCTL_PROJECT: "p1" };
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

/** sent runs a list command against an empty fake API and returns the one list request it sent. */
async function sent(words: string[]): Promise<unknown> {
  const { transport, calls } = fakeApi((router) => {
    router.service(MachineService, { list: () => ({}) });
    router.service(FirewallService, { list: () => ({}) });
    router.service(AdminMachineService, { list: () => ({}) });
    router.service(NetworkService, { list: () => ({}) });
    router.service(AdminNetworkService, { list: () => ({}) });
  });
  const out = await runCommand(words, { env, transport });
  expect(out).toMatchObject({ code: 0, stderr: "" });
  expect(calls).toHaveLength(1);
  return calls[0]!.request;
}

const machineFlags = [
  ["--name", "web"],
  ["--hostname", "web.example"],
  ["--partition", "fra"],
  ["--size", "c1"],
  ["--image", "ubuntu"],
  ["--network", "internet"],
  ["--ip", "203.0.113.5"],
  ["--mac", "aa:bb:cc:00:00:01"],
  ["--rack", "r1"],
  ["--state", "locked"],
  ["--label", "app=web"],
  ["--label", "tier=1"],
].flat();
const machineQuery = {
  name: "web",
  hostname: "web.example",
  partition: "fra",
  size: "c1",
  image: "ubuntu",
  network: "internet",
  ip: "203.0.113.5",
  mac: "aa:bb:cc:00:00:01",
  rack: "r1",
  state: MachineState.LOCKED,
  labels: { app: "web", tier: "1" },
};

describe("list filters go to the server", () => {
  it("machine list sends every filter in the query", async () => {
    expect(await sent(["machine", "list", ...machineFlags])).toMatchObject({
      project: "p1",
      query: machineQuery,
    });
  });

  it("firewall list takes the machine filters", async () => {
    expect(await sent(["firewall", "list", ...machineFlags])).toMatchObject({
      project: "p1",
      query: machineQuery,
    });
  });

  it("admin machine list takes them plus project and tenant", async () => {
    expect(
      await sent(["admin", "machine", "list", ...machineFlags, "--project", "p2", "--tenant", "acme"]),
    ).toMatchObject({
      project: "p2",
      tenant: "acme",
      query: machineQuery,
    });
  });

  it("network list filters by type, partition, prefix and labels", async () => {
    const args = ["--type", "child", "--partition", "fra", "--prefix", "10.0.0.0/24", "--label", "a=b"];
    const want = { type: NetworkType.CHILD, partition: "fra", prefix: "10.0.0.0/24", labels: { a: "b" } };
    expect(await sent(["network", "list", ...args])).toMatchObject({ project: "p1", ...want });
    expect(await sent(["admin", "network", "list", ...args])).toMatchObject(want);
  });

  it("refuses a state that does not exist before calling", async () => {
    const out = await runCommand(["machine", "list", "--state", "melted"], { env });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("Expected --state=melted to be one of");
  });
});
