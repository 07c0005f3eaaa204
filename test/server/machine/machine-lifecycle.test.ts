import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MachineAllocationFilter } from "../../../src/gen/metalstack/admin/v2/machine_pb.js";
import { AdminRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { IPType } from "../../../src/gen/metalstack/api/v2/ip_pb.js";
import {
  MachineProvisioningEventType as Ev,
  type Machine,
  MachineLiveliness,
} from "../../../src/gen/metalstack/api/v2/machine_pb.js";
import { allocateIp } from "../../../src/server/ipam/ips.js";
import { ensureUser } from "../../../src/server/tenancy/users.js";
import { allIps } from "../../helpers/ips.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import {
  type Clients,
  clientsForUser,
  createTestProject,
  eventually,
  IMAGE,
  INTERNET,
  PARTITION,
  reclaimed,
  SIZES,
  seedTestCatalog,
  startTestPool,
  type TestProject,
} from "./fixture.js";

const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHk1cGVyc2VjcmV0a2V5Zm9ydGVzdHM alice@laptop";

describe("machine lifecycle over the wire", () => {
  let server: TestServer;
  let alice: TestProject;
  let bob: TestProject;
  let asAlice: Clients;
  let asBob: Clients;
  let asOps: Clients;
  let pool: Awaited<ReturnType<typeof startTestPool>>;

  beforeAll(async () => {
    server = await startTestServer();
    await seedTestCatalog(server.ctx);
    alice = await createTestProject(server.ctx, "alice");
    bob = await createTestProject(server.ctx, "bob");
    await ensureUser(server.ctx, { id: "ops", name: "ops", email: "", adminRole: AdminRole.EDITOR });
    asAlice = await clientsForUser(server, "alice");
    asBob = await clientsForUser(server, "bob");
    asOps = await clientsForUser(server, "ops");
    pool = await startTestPool(server, {
      count: 8,
      racks: ["r1", "r2", "r3"],
      prefix: "lifecycle",
      sizes: [SIZES[0]!],
    });
  });
  afterAll(async () => {
    await pool?.stop();
    await server?.close();
  });

  function createFor(p: TestProject, name: string, extra: Record<string, unknown> = {}) {
    const clients = p === alice ? asAlice : asBob;
    return clients.machine.create({
      project: p.projectId,
      name,
      partition: PARTITION,
      size: SIZES[0]!,
      image: IMAGE,
      networks: [{ network: p.networkId }, { network: INTERNET }],
      sshPublicKeys: [SSH_KEY],
      userdata: "#cloud-config\n",
      labels: { app: name },
      ...extra,
    });
  }

  it("registers the pool through the agent API into Waiting, alive", async () => {
    const { machines } = await asOps.adminMachine.list({ query: { partition: PARTITION } });
    expect(machines).toHaveLength(8);
    for (const m of machines) {
      expect(m.status?.lastEvent).toBe(Ev.WAITING);
      expect(m.status?.liveliness).toBe(MachineLiveliness.ALIVE);
      expect(m.allocation).toBeUndefined();
    }
  });

  it("allocates, installs to Phoned Home, deletes and reclaims back to Waiting", async () => {
    const { machine } = await createFor(alice, "web-1");
    const id = machine!.uuid;
    expect(machine?.allocation).toMatchObject({
      project: alice.projectId,
      name: "web-1",
      hostname: "web-1",
      image: IMAGE,
      filesystemLayout: "default",
      sshPublicKeys: [SSH_KEY],
      createdBy: "alice",
    });
    const networks = machine!.allocation!.networks;
    expect(networks.map((n) => n.network)).toEqual([alice.networkId, INTERNET]);
    expect(networks.every((n) => n.ips.length === 1)).toBe(true);
    expect(networks[0]!.ips[0]).toMatch(/^10\.64\./);
    expect(machine?.meta?.labels).toEqual({ app: "web-1" });

    const installed = await eventually(async () => {
      const { machine: m } = await asAlice.machine.get({ project: alice.projectId, uuid: id });
      return m?.status?.lastEvent === Ev.PHONED_HOME ? m : undefined;
    }, "Phoned Home");
    // The project sees only the events of its own allocation, not the pool's boot history.
    expect(installed.recentProvisioningEvents?.events.map((e) => e.event)).toEqual([
      Ev.INSTALLING,
      Ev.BOOTING_NEW_KERNEL,
      Ev.PHONED_HOME,
    ]);
    const ips = await allIps(server.ctx.db.kysely, { project: alice.projectId, machineId: id });
    expect(ips.map((ip) => [ip.ip, ip.type])).toEqual(
      networks.map((n) => [n.ips[0], IPType.IP_TYPE_EPHEMERAL]),
    );

    const { machine: deleted } = await asAlice.machine.delete({ project: alice.projectId, uuid: id });
    expect(deleted?.allocation?.name).toBe("web-1");
    await expect(asAlice.machine.get({ project: alice.projectId, uuid: id })).rejects.toMatchObject({
      code: Code.NotFound,
    });
    // Ephemeral IPs are released, not just detached.
    expect(await allIps(server.ctx.db.kysely, { project: alice.projectId })).toEqual([]);

    const back = await reclaimed(asOps, id);
    expect(back.allocation).toBeUndefined();
    const tail = back.recentProvisioningEvents!.events.slice(-5).map((e) => e.event);
    expect(tail).toEqual([Ev.PLANNED_REBOOT, Ev.PXE_BOOTING, Ev.PREPARING, Ev.REGISTERING, Ev.WAITING]);
  });

  it("streams a machine's events to a watcher", async () => {
    const { machine } = await createFor(alice, "watched");
    const seen: Ev[] = [];
    for await (const res of asAlice.machine.watch({
      project: alice.projectId,
      uuid: machine!.uuid,
      includeHistory: true,
    })) {
      seen.push(res.event!.event);
      if (res.event!.event === Ev.PHONED_HOME) break;
    }
    expect(seen).toEqual([Ev.INSTALLING, Ev.BOOTING_NEW_KERNEL, Ev.PHONED_HOME]);
  });

  it("spreads a project's machines across racks", async () => {
    const racks: string[] = [];
    for (const name of ["spread-1", "spread-2", "spread-3"]) {
      const { machine } = await createFor(bob, name);
      racks.push(machine!.rack);
    }
    expect(new Set(racks).size).toBe(3);
  });

  it("hides a machine from other projects' members", async () => {
    const { machine } = await createFor(alice, "private");
    const id = machine!.uuid;
    // Bob asking in Alice's project is refused by authorization ...
    await expect(asBob.machine.get({ project: alice.projectId, uuid: id })).rejects.toMatchObject({
      code: Code.PermissionDenied,
    });
    // ... and asking for Alice's machine in his own project finds nothing.
    for (const call of [
      () => asBob.machine.get({ project: bob.projectId, uuid: id }),
      () => asBob.machine.delete({ project: bob.projectId, uuid: id }),
      () =>
        asBob.machine.update({
          project: bob.projectId,
          uuid: id,
          name: "mine",
          updateMeta: { generation: 0n },
        }),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: Code.NotFound });
    }
    const watch = async () => {
      for await (const _ of asBob.machine.watch({ project: bob.projectId, uuid: id })) break;
    };
    await expect(watch()).rejects.toMatchObject({ code: Code.NotFound });
    const { machines } = await asBob.machine.list({ project: bob.projectId });
    expect(machines.map((m) => m.uuid)).not.toContain(id);
  });

  it("refuses another project's network or IP in create with NotFound", async () => {
    await expect(
      asBob.machine.create({
        project: bob.projectId,
        name: "steal-net",
        partition: PARTITION,
        size: SIZES[0]!,
        image: IMAGE,
        networks: [{ network: alice.networkId }],
      }),
    ).rejects.toMatchObject({ code: Code.NotFound });
    const ip = await allocateIp(server.ctx.db.kysely, {
      project: alice.projectId,
      networkId: INTERNET,
      type: IPType.IP_TYPE_STATIC,
    });
    await expect(createFor(bob, "steal-ip", { ips: [ip.ip] })).rejects.toMatchObject({ code: Code.NotFound });
    // Alice herself may attach her static IP; it stays in her project after the machine is deleted.
    const { machine } = await createFor(alice, "with-static", { ips: [ip.ip] });
    expect(machine?.allocation?.networks.find((n) => n.network === INTERNET)?.ips).toEqual([ip.ip]);
    await asAlice.machine.delete({ project: alice.projectId, uuid: machine!.uuid });
    const kept = await allIps(server.ctx.db.kysely, { project: alice.projectId, address: ip.ip });
    expect(kept.map((k) => [k.type, k.machineId])).toEqual([[IPType.IP_TYPE_STATIC, ""]]);
  });

  it("updates with optimistic locking", async () => {
    const { machine } = await createFor(alice, "upd");
    const generation = machine!.meta!.generation;
    const { machine: updated } = await asAlice.machine.update({
      project: alice.projectId,
      uuid: machine!.uuid,
      updateMeta: { generation },
      name: "upd-2",
      labels: { update: { tier: "front" }, remove: ["app"] },
    });
    expect(updated?.allocation?.name).toBe("upd-2");
    expect(updated?.meta?.labels).toEqual({ tier: "front" });
    const err = await asAlice.machine
      .update({ project: alice.projectId, uuid: machine!.uuid, updateMeta: { generation }, name: "late" })
      .catch((e: unknown) => ConnectError.from(e));
    expect(err).toMatchObject({ code: Code.FailedPrecondition });
    expect((err as ConnectError).rawMessage).toMatch(
      /changed by someone else \(generation \d+, you read \d+\); read it again$/,
    );
  });

  it("lets operators list across projects, by project and by allocation", async () => {
    const all = await asOps.adminMachine.list({});
    expect(all.machines).toHaveLength(8);
    const ofAlice = await asOps.adminMachine.list({ project: alice.projectId });
    expect(ofAlice.machines.length).toBeGreaterThan(0);
    expect(ofAlice.machines.every((m) => m.allocation?.project === alice.projectId)).toBe(true);
    const allocated = await asOps.adminMachine.list({ allocation: MachineAllocationFilter.ALLOCATED });
    const free = await asOps.adminMachine.list({ allocation: MachineAllocationFilter.FREE });
    expect(allocated.machines.every((m) => m.allocation)).toBe(true);
    expect(free.machines.every((m) => !m.allocation)).toBe(true);
    expect(allocated.machines.length + free.machines.length).toBe(8);
    const paged = await asOps.adminMachine.list({ paging: { pageSize: 3 } });
    expect(paged.machines).toHaveLength(3);
    const rest = await asOps.adminMachine.list({ paging: { pageToken: paged.nextPageToken, pageSize: 10 } });
    expect(rest.nextPageToken).toBe("");
    expect([...paged.machines, ...rest.machines].map((m) => m.uuid)).toEqual(all.machines.map((m) => m.uuid));
    // A project member is no operator.
    await expect(asAlice.adminMachine.list({})).rejects.toMatchObject({ code: Code.PermissionDenied });
  });

  it("filters the project list by name, size and labels", async () => {
    const { machines } = await asAlice.machine.list({
      project: alice.projectId,
      query: { labels: { app: "private" } },
    });
    expect(machines.map((m: Machine) => m.allocation?.name)).toEqual(["private"]);
    const none = await asAlice.machine.list({ project: alice.projectId, query: { size: "nope" } });
    expect(none.machines).toEqual([]);
  });
});
