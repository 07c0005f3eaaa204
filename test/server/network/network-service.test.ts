import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IPService as AdminIPService } from "../../../src/gen/metalstack/admin/v2/ip_pb.js";
import { NetworkService as AdminNetworkService } from "../../../src/gen/metalstack/admin/v2/network_pb.js";
import { PartitionService as AdminPartitionService } from "../../../src/gen/metalstack/admin/v2/partition_pb.js";
import { IPService, IPType } from "../../../src/gen/metalstack/api/v2/ip_pb.js";
import { AddressFamily, NetworkService, NetworkType } from "../../../src/gen/metalstack/api/v2/network_pb.js";
import { ProjectService } from "../../../src/gen/metalstack/api/v2/project_pb.js";
import { startDialectServer } from "../../helpers/dialect-server.js";
import type { TestServer } from "../../helpers/start-server.js";
import { type Caller, operator, projectOwner } from "../catalog/callers.js";
import { failure } from "../tenancy/expect-code.js";
import { DIALECTS } from "./stores.js";

describe.each(DIALECTS)("network and IP services on %s", (dialect, run) => {
  let server: TestServer;
  let admin: Caller;
  let alice: Caller;
  let bob: Caller;

  beforeAll(async () => {
    if (!run) return;
    server = await startDialectServer(dialect);
    admin = await operator(server, "net-admin");
    alice = await projectOwner(server, "net-alice");
    bob = await projectOwner(server, "net-bob");
    await admin.client(AdminPartitionService).create({ id: "fra-equ01" });
    const nets = admin.client(AdminNetworkService);
    await nets.create({
      id: "internet",
      type: NetworkType.EXTERNAL,
      prefixes: ["198.51.100.0/29", "2001:db8:5::/64"],
      destinationPrefixes: ["0.0.0.0/0"],
      nat: true,
    });
    await nets.create({
      id: "super",
      type: NetworkType.SUPER,
      partition: "fra-equ01",
      prefixes: ["10.10.0.0/22", "fd00:a::/56"],
      defaultChildPrefixLength: { ipv4: 24, ipv6: 64 },
    });
    await nets.create({
      id: "underlay",
      type: NetworkType.UNDERLAY,
      partition: "fra-equ01",
      prefixes: ["10.255.0.0/24"],
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it.runIf(run)("refuses users the operator network calls", async () => {
    const err = await failure(
      alice
        .client(AdminNetworkService)
        .create({ id: "mine", type: NetworkType.EXTERNAL, prefixes: ["192.0.2.0/24"] }),
    );
    expect(err.code).toBe(Code.PermissionDenied);
    expect((await failure(alice.client(AdminNetworkService).delete({ id: "internet" }))).code).toBe(
      Code.PermissionDenied,
    );
    expect((await failure(alice.client(AdminIPService).list({}))).code).toBe(Code.PermissionDenied);
    // The project API cannot change or delete base networks either.
    const update = await failure(
      alice
        .client(NetworkService)
        .update({ project: alice.project, id: "internet", updateMeta: {}, name: "x" }),
    );
    expect(update.code).toBe(Code.PermissionDenied);
    expect(
      (await failure(alice.client(NetworkService).delete({ project: alice.project, id: "super" }))).code,
    ).toBe(Code.PermissionDenied);
  });

  it.runIf(run)(
    "lists usable base networks and the project's own children, never underlays or others' children",
    async () => {
      const child = await alice
        .client(NetworkService)
        .create({ project: alice.project, parentNetworkId: "super", name: "web" });
      const list = await alice.client(NetworkService).list({ project: alice.project });
      expect(list.networks.map((n) => n.id).sort()).toEqual([child.network!.id, "internet", "super"].sort());
      const bobs = await bob.client(NetworkService).list({ project: bob.project });
      expect(bobs.networks.map((n) => n.id).sort()).toEqual(["internet", "super"]);
      expect(
        (await failure(bob.client(NetworkService).get({ project: bob.project, id: child.network!.id }))).code,
      ).toBe(Code.NotFound);
      expect(
        (await failure(bob.client(NetworkService).get({ project: bob.project, id: "underlay" }))).code,
      ).toBe(Code.NotFound);
      expect(
        (await failure(bob.client(NetworkService).get({ project: alice.project, id: child.network!.id })))
          .code,
      ).toBe(Code.PermissionDenied);
      const all = await admin.client(AdminNetworkService).list({ project: alice.project });
      expect(all.networks.map((n) => n.id)).toEqual([child.network!.id]);
      await alice.client(NetworkService).delete({ project: alice.project, id: child.network!.id });
    },
  );

  it.runIf(run)("refuses cross-project references with NotFound", async () => {
    const child = await alice
      .client(NetworkService)
      .create({ project: alice.project, parentNetworkId: "super" });
    const ip = await alice.client(IPService).create({ project: alice.project, network: child.network!.id });
    const bobIp = bob.client(IPService);
    expect((await failure(bobIp.create({ project: bob.project, network: child.network!.id }))).code).toBe(
      Code.NotFound,
    );
    expect((await failure(bobIp.get({ project: bob.project, id: ip.ip!.id }))).code).toBe(Code.NotFound);
    expect((await failure(bobIp.get({ project: bob.project, id: ip.ip!.ip }))).code).toBe(Code.NotFound);
    expect((await failure(bobIp.delete({ project: bob.project, id: ip.ip!.id }))).code).toBe(Code.NotFound);
    expect(
      (await failure(bobIp.update({ project: bob.project, id: ip.ip!.id, updateMeta: {}, name: "stolen" })))
        .code,
    ).toBe(Code.NotFound);
    expect(
      (await failure(bob.client(NetworkService).delete({ project: bob.project, id: child.network!.id })))
        .code,
    ).toBe(Code.NotFound);
    expect((await bobIp.list({ project: bob.project })).ips).toEqual([]);
    const still = await alice.client(IPService).get({ project: alice.project, id: ip.ip!.id });
    expect(still.ip?.name).toBe("");
    await alice.client(IPService).delete({ project: alice.project, id: ip.ip!.id });
    await alice.client(NetworkService).delete({ project: alice.project, id: child.network!.id });
  });

  it.runIf(run)("allocates, updates and releases IPs; exhaustion names the network", async () => {
    const c = alice.client(IPService);
    const first = await c.create({
      project: alice.project,
      network: "internet",
      name: "lb",
      labels: { role: "lb" },
      type: IPType.IP_TYPE_EPHEMERAL,
    });
    expect(first.ip?.ip).toBe("198.51.100.1");
    const v6 = await c.create({
      project: alice.project,
      network: "internet",
      addressFamily: AddressFamily.V6,
    });
    expect(v6.ip?.ip).toBe("2001:db8:5::1");
    const made = await c.update({
      project: alice.project,
      id: first.ip!.id,
      updateMeta: { generation: 1n },
      type: IPType.IP_TYPE_STATIC,
    });
    expect(made.ip?.type).toBe(IPType.IP_TYPE_STATIC);
    const back = await failure(
      c.update({ project: alice.project, id: first.ip!.id, updateMeta: {}, type: IPType.IP_TYPE_EPHEMERAL }),
    );
    expect(back.code).toBe(Code.InvalidArgument);
    const rest = [];
    for (let i = 0; i < 5; i++) rest.push(await c.create({ project: alice.project, network: "internet" }));
    expect(rest.map((r) => r.ip!.ip)).toEqual([
      "198.51.100.2",
      "198.51.100.3",
      "198.51.100.4",
      "198.51.100.5",
      "198.51.100.6",
    ]);
    const full = await failure(c.create({ project: alice.project, network: "internet" }));
    expect(full.code).toBe(Code.ResourceExhausted);
    expect(full.rawMessage).toBe('network "internet" has no free IPv4 address left');
    await c.delete({ project: alice.project, id: rest[2]!.ip!.id });
    const again = await c.create({ project: alice.project, network: "internet" });
    expect(again.ip?.ip).toBe("198.51.100.4");
    const listed = await c.list({ project: alice.project, network: "internet", type: IPType.IP_TYPE_STATIC });
    expect(listed.ips.map((i) => i.ip)).toEqual(["198.51.100.1"]);
    const adminView = await admin.client(AdminIPService).list({ network: "internet" });
    expect(adminView.ips.map((i) => i.ip)).toEqual([
      "198.51.100.1",
      "198.51.100.2",
      "198.51.100.3",
      "198.51.100.4",
      "198.51.100.5",
      "198.51.100.6",
      "2001:db8:5::1",
    ]);
    for (const ip of [first, v6, again, ...rest.filter((_, i) => i !== 2)]) {
      await c.delete({ project: alice.project, id: ip.ip!.id });
    }
  });

  it.runIf(run)("reports prefix exhaustion naming the super network", async () => {
    // super 10.10.0.0/22 holds four /24 children.
    const n = alice.client(NetworkService);
    const made = [];
    for (let i = 0; i < 4; i++) {
      made.push(
        await n.create({ project: alice.project, parentNetworkId: "super", addressFamily: AddressFamily.V4 }),
      );
    }
    const full = await failure(
      n.create({ project: alice.project, parentNetworkId: "super", addressFamily: AddressFamily.V4 }),
    );
    expect(full.code).toBe(Code.ResourceExhausted);
    expect(full.rawMessage).toBe('super network "super" has no free /24 IPv4 prefix left');
    await n.delete({ project: alice.project, id: made[1]!.network!.id });
    const reused = await n.create({
      project: alice.project,
      parentNetworkId: "super",
      addressFamily: AddressFamily.V4,
    });
    expect(reused.network?.prefixes).toEqual(made[1]!.network!.prefixes);
    for (const m of [made[0], made[2], made[3], reused])
      await n.delete({ project: alice.project, id: m!.network!.id });
  });

  it.runIf(run)("blocks deleting a project that still holds networks or IPs", async () => {
    const carol = await projectOwner(server, "net-carol");
    const ip = await carol.client(IPService).create({ project: carol.project, network: "internet" });
    const blocked = await failure(carol.client(ProjectService).delete({ project: carol.project }));
    expect(blocked.code).toBe(Code.FailedPrecondition);
    expect(blocked.rawMessage).toContain("1 IP");
    await carol.client(IPService).delete({ project: carol.project, id: ip.ip!.id });
    await carol.client(ProjectService).delete({ project: carol.project });
  });
});
