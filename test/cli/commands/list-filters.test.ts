import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MachineService as AdminMachineService } from "../../../src/gen/metalstack/admin/v2/machine_pb.js";
import { NetworkService as AdminNetworkService } from "../../../src/gen/metalstack/admin/v2/network_pb.js";
import { FirewallService } from "../../../src/gen/metalstack/api/v2/firewall_pb.js";
import { ImageService } from "../../../src/gen/metalstack/api/v2/image_pb.js";
import { MachineService, MachineState } from "../../../src/gen/metalstack/api/v2/machine_pb.js";
import { NetworkService, NetworkType } from "../../../src/gen/metalstack/api/v2/network_pb.js";
import { PartitionService } from "../../../src/gen/metalstack/api/v2/partition_pb.js";
import { SizeService } from "../../../src/gen/metalstack/api/v2/size_pb.js";
import { fakeApi } from "../../helpers/fake-api.js";
import { runCommand } from "../../helpers/run-command.js";

let home: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), "metalctl-filters-"));
  env = {
    HOME: home,
    METALCTL_API_URL: "http://127.0.0.1:1",
    METALCTL_PROJECT: "11111111-1111-4111-8111-111111111111",
  };
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

const INTERNET = "22222222-2222-4222-8222-222222222222";

/**
 * sent runs a list command against a fake API with nothing to list and returns the list request it
 * sent last, after the lookups of the filters that name items (`lookups`, in any order).
 */
async function sent(words: string[], lookups: string[] = []): Promise<unknown> {
  const { transport, calls } = fakeApi((router) => {
    router.service(MachineService, { list: () => ({}) });
    router.service(FirewallService, { list: () => ({}) });
    router.service(AdminMachineService, { list: () => ({}) });
    router.service(NetworkService, { list: () => ({ networks: [{ id: INTERNET, name: "internet" }] }) });
    router.service(AdminNetworkService, { list: () => ({}) });
    // A partition is named by an ID prefix, a size and an image by their names.
    router.service(PartitionService, { list: () => ({ partitions: [{ id: "fra-1" }, { id: "muc-1" }] }) });
    router.service(SizeService, { list: () => ({ sizes: [{ id: "c1-large", name: "c1" }] }) });
    router.service(ImageService, { list: () => ({ images: [{ id: "ubuntu-24.04", name: "ubuntu" }] }) });
  });
  const out = await runCommand(words, { env, transport });
  expect(out).toMatchObject({ code: 0, stderr: "" });
  expect(
    calls
      .slice(0, -1)
      .map((c) => c.method)
      .sort(),
  ).toEqual([...lookups].sort());
  return calls.at(-1)!.request;
}

const machineLookups = [
  "PartitionService/List",
  "SizeService/List",
  "ImageService/List",
  "NetworkService/List",
];

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
  partition: "fra-1",
  size: "c1-large",
  image: "ubuntu-24.04",
  network: INTERNET,
  ip: "203.0.113.5",
  mac: "aa:bb:cc:00:00:01",
  rack: "r1",
  state: MachineState.LOCKED,
  labels: { app: "web", tier: "1" },
};

describe("list filters go to the server", () => {
  it("machine list sends every filter in the query", async () => {
    expect(await sent(["machine", "list", ...machineFlags], machineLookups)).toMatchObject({
      project: "11111111-1111-4111-8111-111111111111",
      query: machineQuery,
    });
  });

  it("firewall list takes the machine filters", async () => {
    expect(await sent(["firewall", "list", ...machineFlags], machineLookups)).toMatchObject({
      project: "11111111-1111-4111-8111-111111111111",
      query: machineQuery,
    });
  });

  it("admin machine list takes them plus project and tenant", async () => {
    // The network filter of all projects' machines is taken as typed: it names no project's network.
    expect(
      await sent(
        ["admin", "machine", "list", ...machineFlags, "--project", "p2", "--tenant", "acme"],
        machineLookups.filter((m) => m !== "NetworkService/List"),
      ),
    ).toMatchObject({
      project: "p2",
      tenant: "acme",
      query: { ...machineQuery, network: "internet" },
    });
  });

  it("network list filters by type, partition, prefix and labels", async () => {
    const args = ["--type", "child", "--partition", "fra", "--prefix", "10.0.0.0/24", "--label", "a=b"];
    const want = { type: NetworkType.CHILD, partition: "fra-1", prefix: "10.0.0.0/24", labels: { a: "b" } };
    expect(await sent(["network", "list", ...args], ["PartitionService/List"])).toMatchObject({
      project: "11111111-1111-4111-8111-111111111111",
      ...want,
    });
    expect(await sent(["admin", "network", "list", ...args], ["PartitionService/List"])).toMatchObject(want);
  });

  it("refuses a filter naming no item (exit 5) or several (exit 2) before listing", async () => {
    const unknown = await runCommand(["machine", "list", "--partition", "nosuch"], {
      env,
      transport: lookupApi(),
    });
    expect(unknown.code).toBe(5);
    expect(unknown.stderr).toContain('no partition "nosuch" among the partitions you can use');
    expect(unknown.stdout).toBe("");
    const ambiguous = await runCommand(["network", "list", "--partition", "x-"], {
      env,
      transport: lookupApi(),
    });
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('partition "x-" is ambiguous');
    expect(ambiguous.stderr).toContain("x-1, x-2");
  });

  it("refuses a state that does not exist before calling", async () => {
    const out = await runCommand(["machine", "list", "--state", "melted"], { env });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("Expected --state=melted to be one of");
  });
});

function lookupApi() {
  return fakeApi((router) =>
    router.service(PartitionService, { list: () => ({ partitions: [{ id: "x-1" }, { id: "x-2" }] }) }),
  ).transport;
}
