import { type Client, Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PartitionService as AdminPartitionService } from "../../../src/gen/metalstack/admin/v2/partition_pb.js";
import { SizeService as AdminSizeService } from "../../../src/gen/metalstack/admin/v2/size_pb.js";
import { AdminRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import {
  MachineProvisioningEventType as Ev,
  MachineState,
} from "../../../src/gen/metalstack/api/v2/machine_pb.js";
import { PartitionService } from "../../../src/gen/metalstack/api/v2/partition_pb.js";
import { SizeConstraintType } from "../../../src/gen/metalstack/api/v2/size_pb.js";
import { ensureUser } from "../../../src/server/tenancy/users.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import { expectCode } from "../tenancy/expect-code.js";
import {
  type Clients,
  clientsForUser,
  createTestProject,
  IMAGE,
  INTERNET,
  PARTITION,
  SIZES,
  seedTestCatalog,
  serviceClientForUser,
  startTestPool,
  type TestProject,
} from "./fixture.js";

const GiB = 1024n ** 3n;
const [SMALL, LARGE] = SIZES as [string, string];

describe("partition capacity and size suggestions", () => {
  let server: TestServer;
  let alice: TestProject;
  let asAlice: Clients;
  let asOps: Clients;
  let userPartitions: Client<typeof PartitionService>;
  let opsPartitions: Client<typeof AdminPartitionService>;
  let viewerSizes: Client<typeof AdminSizeService>;
  let pool: Awaited<ReturnType<typeof startTestPool>>;
  /** The pool: small machines at even, large ones at odd positions. */
  let small: string[];
  let large: string[];

  const create = (size: string, name: string) =>
    asAlice.machine.create({
      project: alice.projectId,
      name,
      partition: PARTITION,
      size,
      image: IMAGE,
      networks: [{ network: alice.networkId }, { network: INTERNET }],
    });

  beforeAll(async () => {
    server = await startTestServer();
    await seedTestCatalog(server.ctx);
    alice = await createTestProject(server.ctx, "cap-alice");
    await ensureUser(server.ctx, { id: "cap-ops", name: "ops", email: "", adminRole: AdminRole.EDITOR });
    await ensureUser(server.ctx, {
      id: "cap-viewer",
      name: "viewer",
      email: "",
      adminRole: AdminRole.VIEWER,
    });
    asAlice = await clientsForUser(server, "cap-alice");
    asOps = await clientsForUser(server, "cap-ops");
    userPartitions = await serviceClientForUser(server, PartitionService, "cap-alice");
    opsPartitions = await serviceClientForUser(server, AdminPartitionService, "cap-viewer");
    viewerSizes = await serviceClientForUser(server, AdminSizeService, "cap-viewer");
    pool = await startTestPool(server, { count: 10, racks: ["r1", "r2"], prefix: "cap" });
    small = pool.ids.filter((_, i) => i % 2 === 0);
    large = pool.ids.filter((_, i) => i % 2 === 1);
    // Small: one allocated and then locked, one reserved, one crash-looping, one silent for an hour.
    const { machine } = await create(SMALL, "cap-1");
    await asOps.adminMachine.setState({
      uuid: machine!.uuid,
      state: MachineState.LOCKED,
      description: "hold",
    });
    const freeSmall = small.filter((id) => id !== machine!.uuid);
    await asOps.adminMachine.setState({
      uuid: freeSmall[0]!,
      state: MachineState.RESERVED,
      description: "spare",
    });
    for (let i = 0; i < 3; i++) {
      await asOps.agent.reportEvent({ uuid: freeSmall[1]!, event: Ev.CRASHING, message: "kernel panic" });
    }
    await server.ctx.db.kysely
      .updateTable("machines")
      .set({ last_event_time: new Date(Date.now() - 3600_000).toISOString() })
      .where("id", "=", freeSmall[2]!)
      .execute();
    small = [machine!.uuid, ...freeSmall];
  });
  afterAll(async () => {
    await pool?.stop();
    await server?.close();
  });

  it("shows operators every count per size and names the reserved, locked and faulty machines", async () => {
    const { partitions } = await opsPartitions.capacity({});
    expect(partitions).toHaveLength(1);
    // Sizes come ordered by id: t1-large before t1-small.
    const [largeCap, smallCap] = partitions[0]!.sizes;
    expect(partitions[0]!.partition).toBe(PARTITION);
    expect(smallCap).toMatchObject({
      size: SMALL,
      total: 5,
      free: 1,
      allocated: 1,
      reserved: 1,
      locked: 1,
      faulty: 2,
      reservedMachines: [small[1]],
      lockedMachines: [small[0]],
      faultyMachines: [small[2]!, small[3]!].sort(),
    });
    expect(largeCap).toMatchObject({
      size: LARGE,
      total: 5,
      free: 5,
      allocated: 0,
      reserved: 0,
      locked: 0,
      faulty: 0,
      faultyMachines: [],
    });
  });

  it("shows users only the totals", async () => {
    const { partitions } = await userPartitions.capacity({ id: PARTITION });
    expect(partitions.map((p) => p.partition)).toEqual([PARTITION]);
    expect(
      partitions[0]!.sizes.map(({ size, total, free, allocated }) => ({ size, total, free, allocated })),
    ).toEqual([
      { size: LARGE, total: 5, free: 5, allocated: 0 },
      { size: SMALL, total: 5, free: 1, allocated: 1 },
    ]);
    expect(Object.keys(partitions[0]!.sizes[0]!).sort()).toEqual([
      "$typeName",
      "allocated",
      "free",
      "size",
      "total",
    ]);
  });

  it("counts as free exactly what a create can take", async () => {
    await create(SMALL, "cap-2");
    await expectCode(create(SMALL, "cap-3"), Code.ResourceExhausted);
    const { partitions } = await userPartitions.capacity({});
    expect(partitions[0]!.sizes[1]).toMatchObject({ size: SMALL, free: 0, allocated: 2 });
  });

  it("refuses an unknown partition", async () => {
    await expectCode(userPartitions.capacity({ id: "nowhere" }), Code.NotFound, /nowhere/);
    await expectCode(opsPartitions.capacity({ id: "nowhere" }), Code.NotFound, /nowhere/);
  });

  it("suggests a size matching a machine's hardware that creates as it is", async () => {
    const { size, fittingSizes } = await viewerSizes.suggest({ machine: large[0]! });
    expect(size).toMatchObject({ id: "c8-m16g-s480g", name: "c8-m16g-s480g" });
    expect(size!.description).toContain("8 cores, 16 GiB memory, 480 GiB storage");
    expect(size!.constraints.map((c) => [c.type, c.min, c.max])).toEqual([
      [SizeConstraintType.CORES, 8n, 8n],
      [SizeConstraintType.MEMORY, 16n * GiB, 16n * GiB],
      [SizeConstraintType.STORAGE, 480n * GiB, 480n * GiB],
    ]);
    expect(fittingSizes).toEqual([LARGE]);
    const named = await viewerSizes.suggest({ machine: large[0]!, id: "big-box" });
    expect(named.size?.id).toBe("big-box");
    const opsSizes = await serviceClientForUser(server, AdminSizeService, "cap-ops");
    const { id, name, description, constraints } = named.size!;
    const created = await opsSizes.create({ id, name, description, constraints });
    expect(created.size?.constraints).toEqual(named.size!.constraints);
    expect((await viewerSizes.suggest({ machine: large[0]! })).fittingSizes).toEqual(["big-box", LARGE]);
  });

  it("refuses a suggestion for no machine, an unknown one or with a bad id", async () => {
    await expectCode(viewerSizes.suggest({ machine: "" }), Code.InvalidArgument, /machine: name the machine/);
    await expectCode(viewerSizes.suggest({ machine: "no-such-machine" }), Code.NotFound);
    await expectCode(
      viewerSizes.suggest({ machine: large[0]!, id: "Big Box" }),
      Code.InvalidArgument,
      /id: "Big Box"/,
    );
    const asUser = await serviceClientForUser(server, AdminSizeService, "cap-alice");
    await expectCode(asUser.suggest({ machine: large[0]! }), Code.PermissionDenied);
  });
});
