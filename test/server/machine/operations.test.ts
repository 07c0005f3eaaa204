import { toJsonString } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  MachineServiceGetResponseSchema as AdminGetResponseSchema,
  MachineIssueType,
} from "../../../src/gen/metalstack/admin/v2/machine_pb.js";
import { AdminRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import {
  MachineProvisioningEventType as Ev,
  MachineBootDevice,
  MachineLedState,
  MachinePowerAction,
  MachinePowerState,
  MachineServiceEventsResponseSchema,
  MachineServiceGetResponseSchema,
  MachineState,
} from "../../../src/gen/metalstack/api/v2/machine_pb.js";
import { TaskKind } from "../../../src/gen/metalstack/infra/v2/agent_pb.js";
import { createLogger } from "../../../src/server/log.js";
import { ensureUser } from "../../../src/server/tenancy/users.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import {
  addProjectViewer,
  type Clients,
  clientsForUser,
  createTestProject,
  eventually,
  IMAGE,
  INTERNET,
  PARTITION,
  SIZES,
  seedTestCatalog,
  startTestPool,
  type TestProject,
} from "./fixture.js";

describe("machine operations over the wire with the simulator", () => {
  const logLines: string[] = [];
  let server: TestServer;
  let alice: TestProject;
  let bob: TestProject;
  let asAlice: Clients;
  let asBob: Clients;
  let asCarol: Clients;
  let asOps: Clients;
  let asAuditor: Clients;
  let pool: Awaited<ReturnType<typeof startTestPool>>;

  beforeAll(async () => {
    server = await startTestServer({}, { log: createLogger("debug", (l) => logLines.push(l)) });
    await seedTestCatalog(server.ctx);
    alice = await createTestProject(server.ctx, "alice");
    bob = await createTestProject(server.ctx, "bob");
    // Carol is a viewer of Alice's project.
    await addProjectViewer(server.ctx, alice.projectId, "carol");
    await ensureUser(server.ctx, { id: "ops", name: "ops", email: "", adminRole: AdminRole.EDITOR });
    await ensureUser(server.ctx, { id: "auditor", name: "auditor", email: "", adminRole: AdminRole.VIEWER });
    asAlice = await clientsForUser(server, "alice");
    asBob = await clientsForUser(server, "bob");
    asCarol = await clientsForUser(server, "carol");
    asOps = await clientsForUser(server, "ops");
    asAuditor = await clientsForUser(server, "auditor");
    pool = await startTestPool(server, { count: 3, racks: ["r1"], prefix: "ops", sizes: [SIZES[0]!] });
  });
  afterAll(async () => {
    await pool?.stop();
    await server?.close();
  });

  async function installedMachine(name: string): Promise<string> {
    const { machine } = await asAlice.machine.create({
      project: alice.projectId,
      name,
      partition: PARTITION,
      size: SIZES[0]!,
      image: IMAGE,
      networks: [{ network: alice.networkId }, { network: INTERNET }],
    });
    const id = machine!.uuid;
    await waitForLastEvent(id, Ev.PHONED_HOME);
    return id;
  }

  async function events(id: string): Promise<Ev[]> {
    const res = await asAlice.machine.events({ project: alice.projectId, uuid: id });
    return res.events.map((e) => e.event);
  }

  function waitForLastEvent(id: string, event: Ev, afterCount = 0) {
    return eventually(async () => {
      const list = await events(id);
      return list.length > afterCount && list[list.length - 1] === event ? list : undefined;
    }, Ev[event]);
  }

  let machineId = "";

  it("power cycle is queued for the agent and shows up as Planned Reboot … Phoned Home", async () => {
    machineId = await installedMachine("ops-1");
    const before = await events(machineId);
    expect(before).toEqual([Ev.INSTALLING, Ev.BOOTING_NEW_KERNEL, Ev.PHONED_HOME]);
    await asAlice.machine.power({
      project: alice.projectId,
      uuid: machineId,
      action: MachinePowerAction.CYCLE,
    });
    const after = await waitForLastEvent(machineId, Ev.PHONED_HOME, before.length);
    expect(after.slice(before.length)).toEqual([Ev.PLANNED_REBOOT, Ev.PHONED_HOME]);
    const res = await asAlice.machine.events({ project: alice.projectId, uuid: machineId });
    const reboot = res.events[before.length]!;
    expect(reboot.message).toBe("power cycle via BMC");
    expect(reboot.time).toBeDefined();
  });

  it("power off then on boots the machine back to Phoned Home", async () => {
    const before = await events(machineId);
    await asAlice.machine.power({
      project: alice.projectId,
      uuid: machineId,
      action: MachinePowerAction.OFF,
    });
    await eventually(async () => {
      const { machine } = await asAlice.machine.get({ project: alice.projectId, uuid: machineId });
      return machine?.management?.power === MachinePowerState.OFF ? true : undefined;
    }, "the agent to confirm power off");
    await asAlice.machine.power({ project: alice.projectId, uuid: machineId, action: MachinePowerAction.ON });
    const after = await waitForLastEvent(machineId, Ev.PHONED_HOME, before.length);
    expect(after.slice(before.length)).toEqual([Ev.PLANNED_REBOOT, Ev.PHONED_HOME]);
    const res = await asAlice.machine.events({ project: alice.projectId, uuid: machineId });
    expect(res.events[before.length]?.message).toBe("powered on via BMC");
  });

  it("boot device and identify LED are accepted and carried out by the agent", async () => {
    await asAlice.machine.boot({ project: alice.projectId, uuid: machineId, device: MachineBootDevice.PXE });
    await asAlice.machine.identify({ project: alice.projectId, uuid: machineId, on: true });
    await eventually(async () => {
      const open = await server.ctx.db.kysely
        .selectFrom("machine_tasks")
        .select("id")
        .where("machine_id", "=", machineId)
        .execute();
      return open.length === 0 ? true : undefined;
    }, "the agent to complete the tasks");
    const { machine } = await asCarol.machine.get({ project: alice.projectId, uuid: machineId });
    expect(machine?.management).toMatchObject({
      power: MachinePowerState.ON,
      nextBoot: MachineBootDevice.PXE,
      identifyLed: MachineLedState.ON,
    });
    expect(machine?.management?.updatedAt).toBeDefined();
  });

  it("a failed task changes nothing of what the management interface confirmed", async () => {
    const [task] = await server.ctx.db.kysely
      .insertInto("machine_tasks")
      .values({
        id: "failing-led-off",
        machine_id: machineId,
        partition: PARTITION,
        kind: TaskKind.IDENTIFY_OFF,
        payload: "{}",
        created_at: new Date().toISOString(),
        claimed_at: new Date().toISOString(),
      })
      .returning("id")
      .execute();
    await asOps.agent.completeTask({ id: task!.id, error: "BMC did not answer" });
    const { machine } = await asAlice.machine.get({ project: alice.projectId, uuid: machineId });
    expect(machine?.management?.identifyLed).toBe(MachineLedState.ON);
  });

  it("rejects unknown power actions and boot devices naming the field", async () => {
    await expect(
      asAlice.machine.power({
        project: alice.projectId,
        uuid: machineId,
        action: MachinePowerAction.UNSPECIFIED,
      }),
    ).rejects.toMatchObject({ code: Code.InvalidArgument, rawMessage: expect.stringContaining("action") });
    await expect(
      asAlice.machine.boot({
        project: alice.projectId,
        uuid: machineId,
        device: MachineBootDevice.UNSPECIFIED,
      }),
    ).rejects.toMatchObject({ code: Code.InvalidArgument, rawMessage: expect.stringContaining("device") });
  });

  it("reinstall keeps allocation and IPs and replays Installing → Booting New Kernel → Phoned Home", async () => {
    const { machine: before } = await asAlice.machine.get({ project: alice.projectId, uuid: machineId });
    const count = (await events(machineId)).length;
    const { machine } = await asAlice.machine.reinstall({
      project: alice.projectId,
      uuid: machineId,
      image: IMAGE,
    });
    expect(machine?.allocation?.uuid).toBe(before?.allocation?.uuid);
    expect(machine?.allocation?.networks).toEqual(before?.allocation?.networks);
    const after = await waitForLastEvent(machineId, Ev.PHONED_HOME, count);
    expect(after.slice(count)).toEqual([Ev.INSTALLING, Ev.BOOTING_NEW_KERNEL, Ev.PHONED_HOME]);
    await expect(
      asAlice.machine.reinstall({ project: alice.projectId, uuid: machineId, image: "no-such-os" }),
    ).rejects.toMatchObject({ code: Code.NotFound, rawMessage: expect.stringContaining("image") });
  });

  it("a locked machine refuses delete and reinstall naming the reason and the unlock command", async () => {
    const { machine } = await asOps.adminMachine.setState({
      uuid: machineId,
      state: MachineState.LOCKED,
      description: "legal hold",
    });
    expect(machine?.state).toBe(MachineState.LOCKED);
    for (const call of [
      () => asAlice.machine.delete({ project: alice.projectId, uuid: machineId }),
      () => asAlice.machine.reinstall({ project: alice.projectId, uuid: machineId, image: IMAGE }),
    ]) {
      const err = await call().catch((e: unknown) => e);
      expect(err).toMatchObject({ code: Code.FailedPrecondition });
      expect(String((err as Error).message)).toContain("legal hold");
      expect(String((err as Error).message)).toContain(`metalctl admin machine unlock ${machineId}`);
    }
    await asOps.adminMachine.setState({ uuid: machineId, state: MachineState.AVAILABLE });
    const { machine: unlocked } = await asAlice.machine.get({ project: alice.projectId, uuid: machineId });
    expect(unlocked?.state).toBe(MachineState.AVAILABLE);
    expect(unlocked?.stateDescription).toBe("");
  });

  it("locking or reserving needs a reason and an admin editor", async () => {
    await expect(
      asOps.adminMachine.setState({ uuid: machineId, state: MachineState.LOCKED, description: " " }),
    ).rejects.toMatchObject({
      code: Code.InvalidArgument,
      rawMessage: expect.stringContaining("description"),
    });
    await expect(
      asAuditor.adminMachine.setState({ uuid: machineId, state: MachineState.LOCKED, description: "x" }),
    ).rejects.toMatchObject({ code: Code.PermissionDenied });
    await expect(
      asAlice.adminMachine.setState({ uuid: machineId, state: MachineState.AVAILABLE }),
    ).rejects.toMatchObject({ code: Code.PermissionDenied });
  });

  it("a reserved machine is skipped by allocation", async () => {
    const { machines } = await asOps.adminMachine.list({ query: { partition: PARTITION } });
    const free = machines.filter((m) => !m.allocation).map((m) => m.uuid);
    expect(free).toHaveLength(2);
    for (const id of free) {
      await asOps.adminMachine.setState({ uuid: id, state: MachineState.RESERVED, description: "burn-in" });
    }
    await expect(
      asAlice.machine.create({
        project: alice.projectId,
        name: "ops-2",
        partition: PARTITION,
        size: SIZES[0]!,
        image: IMAGE,
        networks: [{ network: alice.networkId }],
      }),
    ).rejects.toMatchObject({ code: Code.ResourceExhausted });
    await asOps.adminMachine.setState({ uuid: free[0]!, state: MachineState.AVAILABLE });
    const { machine } = await asAlice.machine.create({
      project: alice.projectId,
      name: "ops-2",
      partition: PARTITION,
      size: SIZES[0]!,
      image: IMAGE,
      networks: [{ network: alice.networkId }],
    });
    expect(machine?.uuid).toBe(free[0]);
  });

  it("a project viewer can read events but cannot power-cycle, reinstall, boot or identify", async () => {
    const res = await asCarol.machine.events({ project: alice.projectId, uuid: machineId });
    expect(res.events.length).toBeGreaterThan(0);
    for (const call of [
      () =>
        asCarol.machine.power({
          project: alice.projectId,
          uuid: machineId,
          action: MachinePowerAction.CYCLE,
        }),
      () => asCarol.machine.reinstall({ project: alice.projectId, uuid: machineId, image: IMAGE }),
      () =>
        asCarol.machine.boot({ project: alice.projectId, uuid: machineId, device: MachineBootDevice.DISK }),
      () => asCarol.machine.identify({ project: alice.projectId, uuid: machineId, on: true }),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: Code.PermissionDenied });
    }
  });

  it("another project's member cannot see or operate the machine", async () => {
    await expect(
      asBob.machine.power({ project: alice.projectId, uuid: machineId, action: MachinePowerAction.CYCLE }),
    ).rejects.toMatchObject({ code: Code.PermissionDenied });
    await expect(asBob.machine.events({ project: alice.projectId, uuid: machineId })).rejects.toMatchObject({
      code: Code.PermissionDenied,
    });
    for (const call of [
      () => asBob.machine.events({ project: bob.projectId, uuid: machineId }),
      () => asBob.machine.power({ project: bob.projectId, uuid: machineId, action: MachinePowerAction.OFF }),
      () => asBob.machine.reinstall({ project: bob.projectId, uuid: machineId, image: IMAGE }),
      () => asBob.machine.identify({ project: bob.projectId, uuid: machineId, on: true }),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: Code.NotFound });
    }
  });

  it("issues list machines without BMC address, silent ones and crash loops", async () => {
    await server.ctx.db.kysely
      .updateTable("machines")
      .set({ bmc_address: "" })
      .where("id", "=", pool.ids[0]!)
      .execute();
    const crashing = pool.ids.find((id) => id !== machineId && id !== pool.ids[0])!;
    // The simulator keeps playing events for the pool (an install from an earlier test, a heartbeat);
    // one landing between the crashes legitimately ends the loop, so the burst is repeated until it is seen.
    const issues = await vi.waitFor(
      async () => {
        for (let i = 0; i < 3; i++) {
          await asOps.agent.reportEvent({ uuid: crashing, event: Ev.CRASHING, message: "kernel panic" });
        }
        const res = await asAuditor.adminMachine.issues({ partition: PARTITION });
        expect(res.issues).toContainEqual(
          expect.objectContaining({ uuid: crashing, type: MachineIssueType.CRASH_LOOP }),
        );
        return res.issues;
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(issues).toContainEqual(
      expect.objectContaining({ uuid: pool.ids[0], type: MachineIssueType.MISSING_BMC_ADDRESS }),
    );
    // Lists carry the crash loop and, for operators, the BMC address of every machine.
    const listed = await asAuditor.adminMachine.list({ query: { partition: PARTITION } });
    expect(listed.machines.find((m) => m.uuid === crashing)?.status?.crashLoop).toBe(true);
    expect(listed.machines.find((m) => m.uuid === machineId)?.status?.crashLoop).toBe(false);
    expect(listed.bmcs[pool.ids[0]!]?.address).toBe("");
    expect(listed.bmcs[machineId]?.address).toMatch(/\S/);
    // Reaching Waiting again ends the loop.
    await asOps.agent.reportEvent({ uuid: crashing, event: Ev.WAITING, message: "" });
    const after = await asAuditor.adminMachine.get({ uuid: crashing });
    expect(after.machine?.status?.crashLoop).toBe(false);
    expect(issues.filter((i) => i.type === MachineIssueType.NO_RECENT_EVENT)).toEqual([]);
    // One machine's issues, by id; an unknown id is NotFound rather than "no issues".
    const one = await asAuditor.adminMachine.issues({ uuid: pool.ids[0]!.toUpperCase() });
    expect(one.issues.map((i) => [i.uuid, i.type])).toEqual([
      [pool.ids[0], MachineIssueType.MISSING_BMC_ADDRESS],
    ]);
    await expect(
      asAuditor.adminMachine.issues({ uuid: "00000000-0000-0000-0000-000000000000" }),
    ).rejects.toMatchObject({ code: Code.NotFound });
    await expect(asAlice.adminMachine.issues({})).rejects.toMatchObject({ code: Code.PermissionDenied });
  });

  it("never returns BMC credentials to anyone and never logs them", async () => {
    const secrets = await server.ctx.db.kysely
      .selectFrom("machines")
      .select(["id", "bmc_user", "bmc_password", "bmc_address"])
      .execute();
    const mine = secrets.find((s) => s.id === machineId)!;
    expect(mine.bmc_password).not.toBe("");
    const admin = await asOps.adminMachine.get({ uuid: machineId });
    expect(admin.bmc?.address).toBe(mine.bmc_address);
    const projectView = toJsonString(
      MachineServiceGetResponseSchema,
      await asAlice.machine.get({ project: alice.projectId, uuid: machineId }),
    );
    // Project members do not even see the BMC address.
    expect(projectView).not.toContain(mine.bmc_address);
    const outputs = [
      toJsonString(AdminGetResponseSchema, admin),
      projectView,
      toJsonString(
        MachineServiceEventsResponseSchema,
        await asAlice.machine.events({ project: alice.projectId, uuid: machineId }),
      ),
      logLines.join(""),
    ];
    expect(logLines.some((l) => l.includes('"level":"debug"'))).toBe(true);
    for (const out of outputs) {
      for (const s of secrets) expect(out).not.toContain(s.bmc_password);
    }
  });
});
