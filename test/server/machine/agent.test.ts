import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import {
  MachineProvisioningEventType as Ev,
  MachineLiveliness,
  MachineState,
} from "../../../src/gen/metalstack/api/v2/machine_pb.js";
import { AgentService, TaskKind } from "../../../src/gen/metalstack/infra/v2/agent_pb.js";
import { getSize } from "../../../src/server/catalog/sizes.js";
import { demoMachines } from "../../../src/server/dev/demo-machines.js";
import type { SimulatedMachine } from "../../../src/server/dev/simulator.js";
import { MAX_EVENTS_PER_MACHINE } from "../../../src/server/machines/events.js";
import { TASK_LEASE_MS } from "../../../src/server/machines/tasks.js";
import { ensureUser } from "../../../src/server/tenancy/users.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import {
  agentToken,
  type Clients,
  clientsForUser,
  clientsWithToken,
  createTestProject,
  IMAGE,
  PARTITION,
  SIZES,
  seedTestCatalog,
  type TestProject,
} from "./fixture.js";

describe("agent API and machine bookkeeping", () => {
  let server: TestServer;
  let clock = Date.now();
  let agent: Clients;
  let asOps: Clients;
  let asDan: Clients;
  let dan: TestProject;
  let machines: SimulatedMachine[] = [];
  const m = (i: number) => machines[i]!;

  beforeAll(async () => {
    server = await startTestServer({}, { now: () => new Date(clock) });
    await seedTestCatalog(server.ctx);
    const sizes = await Promise.all(SIZES.map((id) => getSize(server.ctx.db.kysely, id)));
    machines = demoMachines(PARTITION, sizes, ["r1"], 6, "agent-test");
    dan = await createTestProject(server.ctx, "dan");
    await ensureUser(server.ctx, { id: "ops", name: "ops", email: "", adminRole: AdminRole.VIEWER });
    agent = clientsWithToken(server, await agentToken(server.ctx));
    asOps = await clientsForUser(server, "ops");
    asDan = await clientsForUser(server, "dan");
  });
  afterAll(() => server?.close());

  const register = (i: number, over: Record<string, unknown> = {}) =>
    agent.agent.register({ ...m(i), ...over });
  const report = (i: number, event: Ev) => agent.agent.reportEvent({ uuid: m(i).uuid, event, message: "" });
  const boot = async (i: number) => {
    for (const e of [Ev.PXE_BOOTING, Ev.PREPARING, Ev.REGISTERING, Ev.WAITING]) await report(i, e);
  };

  it("registers a machine and updates it on the next registration", async () => {
    expect(await register(0)).toMatchObject({ uuid: m(0).uuid, created: true });
    expect(await register(0, { rack: "r9" })).toMatchObject({ created: false });
    const { machine, bmc } = await asOps.adminMachine.get({ uuid: m(0).uuid });
    expect(machine).toMatchObject({ rack: "r9", size: m(0).size, state: MachineState.AVAILABLE });
    expect(machine?.status?.liveliness).toBe(MachineLiveliness.UNKNOWN);
    expect(bmc?.address).toBe(m(0).bmc.address);
  });

  it("refuses bad registrations naming the field", async () => {
    await expect(register(1, { uuid: "not-a-uuid" })).rejects.toMatchObject({ code: Code.InvalidArgument });
    await expect(register(1, { partition: "nowhere" })).rejects.toMatchObject({ code: Code.NotFound });
    await expect(register(1, { size: "huge" })).rejects.toMatchObject({ code: Code.NotFound });
    await expect(register(1, { rack: " " })).rejects.toMatchObject({ code: Code.InvalidArgument });
    await expect(register(1, { hardware: undefined })).rejects.toMatchObject({ code: Code.InvalidArgument });
    // Hardware that does not fit the size it is registered with: the small size has 4 cores exactly.
    const tooBig = { ...m(1).hardware, cpuCores: 64 };
    const misfit = await register(1, { size: SIZES[0], hardware: tooBig }).catch((e: unknown) =>
      ConnectError.from(e),
    );
    expect(misfit).toMatchObject({ code: Code.InvalidArgument });
    expect((misfit as ConnectError).rawMessage).toContain(`64 cpu cores do not fit size ${SIZES[0]}`);
  });

  it("refuses agent calls from project members and anonymous callers", async () => {
    await expect(asDan.agent.register(m(1))).rejects.toMatchObject({ code: Code.PermissionDenied });
    await expect(asDan.agent.reportEvent({ uuid: m(0).uuid, event: Ev.CRASHING })).rejects.toMatchObject({
      code: Code.PermissionDenied,
    });
    const anonymous = createClient(
      AgentService,
      createConnectTransport({ baseUrl: server.url, httpVersion: "1.1" }),
    );
    await expect(anonymous.fetchTasks({ partition: PARTITION })).rejects.toMatchObject({
      code: Code.Unauthenticated,
    });
  });

  it("rejects events for unknown machines and unspecified event types", async () => {
    await expect(report(5, Ev.WAITING)).rejects.toMatchObject({ code: Code.NotFound });
    await expect(report(0, Ev.UNSPECIFIED)).rejects.toMatchObject({ code: Code.InvalidArgument });
  });

  it("collapses repeated heartbeats and keeps the newest 100 events", async () => {
    await boot(0);
    await report(0, Ev.WAITING);
    await report(0, Ev.WAITING);
    let { machine } = await asOps.adminMachine.get({ uuid: m(0).uuid });
    expect(machine?.recentProvisioningEvents?.events.map((e) => e.event)).toEqual([
      Ev.PXE_BOOTING,
      Ev.PREPARING,
      Ev.REGISTERING,
      Ev.WAITING,
    ]);
    for (let i = 0; i < 60; i++) {
      await report(0, Ev.PLANNED_REBOOT);
      await report(0, Ev.CRASHING);
    }
    ({ machine } = await asOps.adminMachine.get({ uuid: m(0).uuid }));
    const events = machine!.recentProvisioningEvents!.events;
    expect(events).toHaveLength(MAX_EVENTS_PER_MACHINE);
    expect(events.at(-1)?.event).toBe(Ev.CRASHING);
    expect(machine?.status?.lastEvent).toBe(Ev.CRASHING);
    await boot(0);
  });

  it("derives liveliness from the age of the last event", async () => {
    let { machine } = await asOps.adminMachine.get({ uuid: m(0).uuid });
    expect(machine?.status?.liveliness).toBe(MachineLiveliness.ALIVE);
    clock += 6 * 60 * 1000;
    ({ machine } = await asOps.adminMachine.get({ uuid: m(0).uuid }));
    expect(machine?.status?.liveliness).toBe(MachineLiveliness.DEAD);
    // A dead waiting machine is not handed out.
    await expect(
      asDan.machine.create({
        project: dan.projectId,
        name: "x",
        partition: PARTITION,
        size: m(0).size,
        image: IMAGE,
        networks: [{ network: dan.networkId }],
      }),
    ).rejects.toMatchObject({ code: Code.ResourceExhausted });
    await report(0, Ev.WAITING);
    ({ machine } = await asOps.adminMachine.get({ uuid: m(0).uuid }));
    expect(machine?.status?.liveliness).toBe(MachineLiveliness.ALIVE);
  });

  it("queues install and reclaim for the agent, one task per machine at a time, with a lease", async () => {
    const create = () =>
      asDan.machine.create({
        project: dan.projectId,
        name: "tasked",
        partition: PARTITION,
        size: m(0).size,
        image: IMAGE,
        networks: [{ network: dan.networkId }],
      });
    // Deleted before the agent fetched the install: the install is dropped, only the reclaim remains.
    const { machine: first } = await create();
    await asDan.machine.delete({ project: dan.projectId, uuid: first!.uuid });
    let { tasks } = await agent.agent.fetchTasks({ partition: PARTITION });
    expect(tasks.map((t) => [t.machine, t.kind])).toEqual([[m(0).uuid, TaskKind.RECLAIM]]);
    // A machine with an open task is not allocatable, even though its last event is Waiting.
    await expect(create()).rejects.toMatchObject({ code: Code.ResourceExhausted });
    // The claimed task is not handed out again while its lease runs ...
    expect((await agent.agent.fetchTasks({ partition: PARTITION })).tasks).toEqual([]);
    clock += TASK_LEASE_MS + 1000;
    // ... but is after the lease ran out (the agent died).
    ({ tasks } = await agent.agent.fetchTasks({ partition: PARTITION }));
    expect(tasks.map((t) => t.kind)).toEqual([TaskKind.RECLAIM]);
    await boot(0);
    await agent.agent.completeTask({ id: tasks[0]!.id });
    await expect(agent.agent.completeTask({ id: tasks[0]!.id })).rejects.toMatchObject({
      code: Code.NotFound,
    });

    const { machine: second } = await create();
    ({ tasks } = await agent.agent.fetchTasks({ partition: PARTITION }));
    expect(tasks).toMatchObject([
      { machine: m(0).uuid, kind: TaskKind.INSTALL, image: IMAGE, hostname: "tasked" },
    ]);
    // Deleted during the install: the reclaim waits until the install is completed.
    await asDan.machine.delete({ project: dan.projectId, uuid: second!.uuid });
    expect((await agent.agent.fetchTasks({ partition: PARTITION })).tasks).toEqual([]);
    await agent.agent.completeTask({ id: tasks[0]!.id });
    ({ tasks } = await agent.agent.fetchTasks({ partition: PARTITION }));
    expect(tasks.map((t) => t.kind)).toEqual([TaskKind.RECLAIM]);
    await agent.agent.completeTask({ id: tasks[0]!.id });
    await expect(agent.agent.fetchTasks({ partition: "" })).rejects.toMatchObject({
      code: Code.InvalidArgument,
    });
  });

  it("ends a watch when the machine is deleted and refuses deleting a locked machine", async () => {
    const { machine } = await asDan.machine.create({
      project: dan.projectId,
      name: "locked",
      partition: PARTITION,
      size: m(0).size,
      image: IMAGE,
      networks: [{ network: dan.networkId }],
    });
    const id = machine!.uuid;
    const events: Ev[] = [];
    const watching = (async () => {
      for await (const res of asDan.machine.watch({ project: dan.projectId, uuid: id }))
        events.push(res.event!.event);
    })();
    await report(0, Ev.INSTALLING);
    await server.ctx.db.kysely
      .updateTable("machines")
      .set({ state: MachineState.LOCKED, state_description: "disk replacement" })
      .where("id", "=", id)
      .execute();
    const locked = await asDan.machine.delete({ project: dan.projectId, uuid: id }).catch((e: unknown) => e);
    expect(locked).toMatchObject({ code: Code.FailedPrecondition });
    expect(String((locked as Error).message)).toContain("disk replacement");
    await server.ctx.db.kysely
      .updateTable("machines")
      .set({ state: MachineState.AVAILABLE })
      .where("id", "=", id)
      .execute();
    await asDan.machine.delete({ project: dan.projectId, uuid: id });
    await report(0, Ev.PLANNED_REBOOT);
    await watching;
    expect(events).toEqual([Ev.INSTALLING]);
  });

  it("keeps a project with machines from being deleted", async () => {
    await report(0, Ev.WAITING);
    const { tasks } = await agent.agent.fetchTasks({ partition: PARTITION });
    for (const t of tasks) await agent.agent.completeTask({ id: t.id });
    await asDan.machine.create({
      project: dan.projectId,
      name: "anchor",
      partition: PARTITION,
      size: m(0).size,
      image: IMAGE,
      networks: [{ network: dan.networkId }],
    });
    const refused = await asDan.project
      .delete({ project: dan.projectId })
      .catch((e: unknown) => ConnectError.from(e));
    expect(refused).toMatchObject({ code: Code.FailedPrecondition });
    expect((refused as ConnectError).rawMessage).toContain("1 machine");
  });
});
