import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { type Client, Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  MachineService as AdminMachineService,
  MachineAllocationFilter,
} from "../../../src/gen/metalstack/admin/v2/machine_pb.js";
import { NetworkService as AdminNetworkService } from "../../../src/gen/metalstack/admin/v2/network_pb.js";
import { AdminRole, UpdateLabelsSchema } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { FirewallService } from "../../../src/gen/metalstack/api/v2/firewall_pb.js";
import {
  MachineProvisioningEventType,
  type MachineQuerySchema,
  MachineService,
  MachineState,
} from "../../../src/gen/metalstack/api/v2/machine_pb.js";
import {
  NetworkService,
  type NetworkServiceListRequestSchema,
  NetworkType,
} from "../../../src/gen/metalstack/api/v2/network_pb.js";
import { stableUuid } from "../../../src/server/dev/demo-machines.js";
import { addressKey, parseAddress } from "../../../src/server/ipam/cidr.js";
import { updateChildNetwork } from "../../../src/server/ipam/networks.js";
import type { MachineRow } from "../../../src/server/store/machine-schema.js";
import { ensureUser } from "../../../src/server/tenancy/users.js";
import { startDialectServer } from "../../helpers/dialect-server.js";
import type { TestServer } from "../../helpers/start-server.js";
import { DIALECTS } from "../network/stores.js";
import {
  createTestProject,
  INTERNET,
  PARTITION,
  seedTestCatalog,
  serviceClientForUser,
  type TestProject,
} from "./fixture.js";

const id = (name: string) => stableUuid(`filter/${name}`);

interface Fake {
  name: string;
  project: TestProject | null;
  rack?: string;
  size?: string;
  image?: string;
  state?: MachineState;
  labels?: Record<string, string>;
  networks?: string[];
  macs?: string[];
}

/** machineRow builds a stored machine with exactly the fields the filters look at. */
function machineRow(f: Fake): MachineRow {
  const now = new Date().toISOString();
  const allocated = f.project !== null;
  return {
    id: id(f.name),
    partition: PARTITION,
    size: f.size ?? "t1-small",
    rack: f.rack ?? "r1",
    hardware: JSON.stringify({
      cpuCores: 4,
      nics: (f.macs ?? []).map((mac, i) => ({ name: `eth${i}`, mac })),
    }),
    bmc_address: "127.0.0.1:623",
    bmc_user: "admin",
    bmc_password: "secret",
    state: f.state ?? MachineState.AVAILABLE,
    state_description: "",
    project: f.project?.projectId ?? null,
    allocation_id: allocated ? id(`alloc/${f.name}`) : null,
    name: allocated ? f.name : null,
    hostname: allocated ? `${f.name}.example` : null,
    image: allocated ? (f.image ?? "ubuntu-24.04") : null,
    allocation: allocated
      ? JSON.stringify({
          description: "",
          filesystemLayout: "default",
          networks: (f.networks ?? []).map((network) => ({ network, ips: [] })),
          sshPublicKeys: [],
          userdata: "",
          createdAt: now,
          createdBy: "test",
        })
      : null,
    labels: JSON.stringify(f.labels ?? {}),
    last_event: MachineProvisioningEventType.PHONED_HOME,
    last_event_time: now,
    event_seq: 0,
    crash_streak: 0,
    power_state: 0,
    next_boot: 0,
    led_state: 0,
    management_updated_at: null,
    generation: 1,
    created_at: now,
    updated_at: now,
  };
}

async function failure(p: Promise<unknown>): Promise<ConnectError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConnectError);
  return err as ConnectError;
}

describe.each(DIALECTS)("list filters on %s", (dialect, run) => {
  let server: TestServer;
  let alice: TestProject;
  let bob: TestProject;
  let machines: Client<typeof MachineService>;
  let firewalls: Client<typeof FirewallService>;
  let networks: Client<typeof NetworkService>;
  let adminMachines: Client<typeof AdminMachineService>;
  let adminNetworks: Client<typeof AdminNetworkService>;

  beforeAll(async () => {
    if (!run) return;
    server = await startDialectServer(dialect);
    const ctx = server.ctx;
    await seedTestCatalog(ctx);
    alice = await createTestProject(ctx, "alice");
    bob = await createTestProject(ctx, "bob");
    await updateChildNetwork(ctx.db.kysely, alice.projectId, alice.networkId, {
      labels: create(UpdateLabelsSchema, { update: { purpose: "backend" } }),
    });
    await ensureUser(ctx, { id: "ops", name: "ops", email: "ops@example.com", adminRole: AdminRole.VIEWER });
    const fakes: Fake[] = [
      {
        name: "web-1",
        project: alice,
        labels: { app: "web", "metal-stack.io/tier": "1" },
        networks: [alice.networkId, INTERNET],
        macs: ["AA:BB:CC:00:00:01", "aa:bb:cc:00:00:11"],
      },
      {
        name: "db-1",
        project: alice,
        rack: "r2",
        size: "t1-large",
        image: "debian-12",
        state: MachineState.LOCKED,
        labels: { app: "db" },
        networks: [alice.networkId],
        macs: ["aa:bb:cc:00:00:02"],
      },
      { name: "fw-1", project: alice, labels: { app: "fw" }, networks: [alice.networkId, INTERNET] },
      {
        name: "web-2",
        project: bob,
        labels: { app: "web" },
        networks: [bob.networkId, INTERNET],
        macs: ["aa:bb:cc:00:00:03"],
      },
      { name: "free-1", project: null, rack: "r2", macs: ["aa:bb:cc:00:00:04"] },
    ];
    await ctx.db.kysely.insertInto("machines").values(fakes.map(machineRow)).execute();
    await ctx.db.kysely
      .insertInto("firewall_rules")
      .values({
        machine_id: id("fw-1"),
        allocation_id: id("alloc/fw-1"),
        project: alice.projectId,
        rules: JSON.stringify({ egress: [], ingress: [] }),
        generation: 1,
        updated_at: new Date().toISOString(),
      })
      .execute();
    const now = new Date().toISOString();
    for (const [address, owner, machine] of [
      ["203.0.113.5", alice, "web-1"],
      ["203.0.113.6", bob, "web-2"],
    ] as const) {
      await ctx.db.kysely
        .insertInto("ips")
        .values({
          id: id(`ip/${address}`),
          project: owner.projectId,
          network_id: INTERNET,
          address,
          address_key: addressKey(parseAddress(address)!),
          family: 4,
          name: "",
          description: "",
          type: 1,
          machine_id: id(machine),
          labels: "{}",
          generation: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    machines = await serviceClientForUser(server, MachineService, "alice");
    firewalls = await serviceClientForUser(server, FirewallService, "alice");
    networks = await serviceClientForUser(server, NetworkService, "alice");
    adminMachines = await serviceClientForUser(server, AdminMachineService, "ops");
    adminNetworks = await serviceClientForUser(server, AdminNetworkService, "ops");
  });
  afterAll(() => server?.close());

  const names = (list: { allocation?: { name: string }; uuid: string }[]) =>
    list.map((m) => m.allocation?.name || m.uuid).sort();
  const machineNames = async (query: MessageInitShape<typeof MachineQuerySchema>) =>
    names((await machines.list({ project: alice.projectId, query })).machines);

  it.runIf(run).each([
    [{ name: "web-1" }, ["web-1"]],
    [{ hostname: "db-1.example" }, ["db-1"]],
    [{ partition: PARTITION }, ["db-1", "web-1"]],
    [{ size: "t1-large" }, ["db-1"]],
    [{ image: "debian-12" }, ["db-1"]],
    [{ rack: "r2" }, ["db-1"]],
    [{ state: MachineState.LOCKED }, ["db-1"]],
    [{ network: INTERNET }, ["web-1"]],
    [{ ip: "203.0.113.5" }, ["web-1"]],
    [{ ip: "203.0.113.6" }, []],
    [{ mac: "aa:bb:cc:00:00:01" }, ["web-1"]],
    [{ mac: "AA-BB-CC-00-00-11" }, ["web-1"]],
    [{ mac: "aa:bb:cc:00:00:03" }, []],
    [{ labels: { app: "web" } }, ["web-1"]],
    [{ labels: { app: "web", "metal-stack.io/tier": "1" } }, ["web-1"]],
    [{ labels: { app: "web", "metal-stack.io/tier": "2" } }, []],
    [{ labels: { app: "db" }, rack: "r2", size: "t1-large" }, ["db-1"]],
  ])("machine list %j of one project", async (query, want) => {
    expect(await machineNames(query)).toEqual(want);
  });

  it.runIf(run).each([
    [{ ip: "no-ip" }, 'query.ip: "no-ip" is not an IP address'],
    [{ mac: "aa:bb" }, 'query.mac: "aa:bb" is not a MAC address like 00:1a:2b:3c:4d:5e'],
    [{ state: 42 }, "query.state: unknown value 42; use one of AVAILABLE, RESERVED, LOCKED"],
  ])("machine list refuses %j", async (query, message) => {
    const err = await failure(machines.list({ project: alice.projectId, query }));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(err.rawMessage).toBe(message);
  });

  it.runIf(run)("filters firewalls by their machines", async () => {
    const list = async (query: MessageInitShape<typeof MachineQuerySchema>) =>
      (await firewalls.list({ project: alice.projectId, query })).firewalls.map(
        (f) => f.machine!.allocation!.name,
      );
    expect(await list({ network: INTERNET })).toEqual(["fw-1"]);
    expect(await list({ labels: { app: "fw" }, rack: "r1" })).toEqual(["fw-1"]);
    expect(await list({ rack: "r2" })).toEqual([]);
    expect((await failure(list({ mac: "x" }))).code).toBe(Code.InvalidArgument);
  });

  it.runIf(run)("filters all machines for operators, also by project and tenant", async () => {
    const list = async (req: Parameters<typeof adminMachines.list>[0]) =>
      names((await adminMachines.list(req)).machines);
    expect(await list({ query: { labels: { app: "web" } } })).toEqual(["web-1", "web-2"]);
    expect(await list({ query: { network: INTERNET } })).toEqual(["fw-1", "web-1", "web-2"]);
    expect(await list({ query: { ip: "203.0.113.6" } })).toEqual(["web-2"]);
    expect(await list({ query: { mac: "aa:bb:cc:00:00:04" } })).toEqual([id("free-1")]);
    expect(await list({ tenant: alice.userId })).toEqual(["db-1", "fw-1", "web-1"]);
    expect(await list({ tenant: bob.userId, query: { labels: { app: "web" } } })).toEqual(["web-2"]);
    const nobody = await failure(list({ tenant: "nobody" }));
    expect([nobody.code, nobody.rawMessage]).toEqual([
      Code.NotFound,
      'tenant: tenant "nobody" not found; name a tenant by its ID (metalctl admin tenant list)',
    ]);
    expect(await list({ project: bob.projectId })).toEqual(["web-2"]);
    expect(await list({ query: { rack: "r2" }, allocation: MachineAllocationFilter.FREE })).toEqual([
      id("free-1"),
    ]);
    const err = await failure(list({ allocation: 9 as MachineAllocationFilter }));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(err.rawMessage).toBe("allocation: unknown value 9; use one of ALLOCATED, FREE");
  });

  it.runIf(run)("filters networks by type, partition, prefix and labels", async () => {
    const list = async (
      req: Omit<MessageInitShape<typeof NetworkServiceListRequestSchema>, "project" | "$typeName">,
    ) => (await networks.list({ project: alice.projectId, ...req })).networks.map((n) => n.id).sort();
    const mine = (await networks.get({ project: alice.projectId, id: alice.networkId })).network!;
    expect(await list({ prefix: mine.prefixes[0] })).toEqual([alice.networkId]);
    expect(await list({ prefix: "203.0.113.0/24" })).toEqual([INTERNET]);
    expect(await list({ prefix: "198.51.100.0/24" })).toEqual([]);
    expect(await list({ labels: { purpose: "backend" } })).toEqual([alice.networkId]);
    expect(await list({ labels: { purpose: "frontend" } })).toEqual([]);
    expect(await list({ type: NetworkType.EXTERNAL, partition: "" })).toEqual([INTERNET]);
    expect(await list({ type: NetworkType.CHILD, partition: PARTITION })).toEqual([alice.networkId]);
    const badPrefix = await failure(list({ prefix: "nope" }));
    expect(badPrefix.code).toBe(Code.InvalidArgument);
    expect(badPrefix.rawMessage).toMatch(/^prefix: "nope" is not a CIDR prefix/);
    const badType = await failure(list({ type: 77 as NetworkType }));
    expect(badType.rawMessage).toMatch(/^type: unknown value 77; use one of /);
    const all = async (req: Parameters<typeof adminNetworks.list>[0]) =>
      (await adminNetworks.list(req)).networks.map((n) => n.id).sort();
    expect(await all({ labels: { purpose: "backend" } })).toEqual([alice.networkId]);
    expect(await all({ prefix: "203.0.113.0/24", type: NetworkType.EXTERNAL })).toEqual([INTERNET]);
  });
});
