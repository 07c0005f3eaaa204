import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IPType } from "../../../src/gen/metalstack/api/v2/ip_pb.js";
import { AddressFamily, NetworkType } from "../../../src/gen/metalstack/api/v2/network_pb.js";
import { createPartition } from "../../../src/server/catalog/partitions.js";
import { allocateIp, releaseEphemeralIpsOfMachine, releaseIp } from "../../../src/server/ipam/ips.js";
import {
  allocateChildNetwork,
  createBaseNetwork,
  deleteChildNetwork,
  getNetworkForProject,
  listNetworksForProject,
} from "../../../src/server/ipam/networks.js";
import { allIps } from "../../helpers/ips.js";
import { DIALECTS, openTestStore, type TestStore } from "./stores.js";

async function rejection(p: Promise<unknown>): Promise<ConnectError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConnectError);
  return err as ConnectError;
}

describe.each(DIALECTS)("ipam on %s", (dialect, run) => {
  let store: TestStore;
  const tx = <T>(fn: (trx: TestStore["db"]["kysely"]) => Promise<T>) =>
    store.db.kysely.transaction().execute(fn);

  beforeAll(async () => {
    if (!run) return;
    store = await openTestStore(dialect);
    await tx(async (trx) => {
      await createPartition(trx, { id: "fra-equ01", description: "Frankfurt", labels: {} });
      await createBaseNetwork(trx, {
        id: "internet",
        type: NetworkType.EXTERNAL,
        partition: "",
        name: "internet",
        description: "",
        prefixes: ["185.1.2.0/29", "2001:db8:1::/126"],
        destinationPrefixes: ["0.0.0.0/0"],
        vrf: 104009,
        nat: true,
        labels: {},
      });
      await createBaseNetwork(trx, {
        id: "tenant-super",
        type: NetworkType.SUPER,
        partition: "fra-equ01",
        name: "tenant super network",
        description: "",
        prefixes: ["10.0.0.0/16", "fd00::/56"],
        destinationPrefixes: [],
        defaultChildPrefixLength: { ipv4: 22, ipv6: 64 },
        vrf: 0,
        nat: false,
        labels: {},
      });
      await createBaseNetwork(trx, {
        id: "underlay",
        type: NetworkType.UNDERLAY,
        partition: "fra-equ01",
        name: "underlay",
        description: "",
        prefixes: ["10.1.0.0/24"],
        destinationPrefixes: [],
        vrf: 0,
        nat: false,
        labels: {},
      });
    });
  });
  afterAll(async () => {
    await store?.close();
  });

  it.runIf(run)("refuses a base network overlapping an existing one", async () => {
    const err = await rejection(
      tx((trx) =>
        createBaseNetwork(trx, {
          id: "clash",
          type: NetworkType.EXTERNAL,
          partition: "",
          name: "",
          description: "",
          prefixes: ["10.0.8.0/24"],
          destinationPrefixes: [],
          vrf: 0,
          nat: false,
          labels: {},
        }),
      ),
    );
    expect(err.code).toBe(Code.AlreadyExists);
    expect(err.rawMessage).toContain('overlaps 10.0.0.0/16 of network "tenant-super"');
  });

  it.runIf(run)("shows projects the usable base networks and their own children only", async () => {
    const child = await tx((trx) =>
      allocateChildNetwork(trx, { project: "p-vis", parentNetworkId: "tenant-super" }),
    );
    const { networks: mine } = await tx((trx) => listNetworksForProject(trx, dialect, "p-vis"));
    expect(mine.map((n) => n.id).sort()).toEqual([child.id, "internet", "tenant-super"].sort());
    const { networks: theirs } = await tx((trx) => listNetworksForProject(trx, dialect, "p-other"));
    expect(theirs.map((n) => n.id).sort()).toEqual(["internet", "tenant-super"]);
    expect((await rejection(tx((trx) => getNetworkForProject(trx, "p-other", child.id)))).code).toBe(
      Code.NotFound,
    );
    expect((await rejection(tx((trx) => getNetworkForProject(trx, "p-vis", "underlay")))).code).toBe(
      Code.NotFound,
    );
  });

  it.runIf(run)("carves dual-stack children with the default lengths, without overlap", async () => {
    const a = await tx((trx) => allocateChildNetwork(trx, { project: "p-carve", partition: "fra-equ01" }));
    const b = await tx((trx) =>
      allocateChildNetwork(trx, { project: "p-carve", parentNetworkId: "tenant-super" }),
    );
    expect(a.type).toBe(NetworkType.CHILD);
    expect(a.parentNetworkId).toBe("tenant-super");
    expect(a.prefixes).toHaveLength(2);
    expect(a.prefixes[0]).toMatch(/^10\.0\.\d+\.0\/22$/);
    expect(a.prefixes[1]).toMatch(/^fd00:0:0:[0-9a-f]+::\/64$/);
    expect(b.prefixes[0]).not.toBe(a.prefixes[0]);
    expect(b.prefixes[1]).not.toBe(a.prefixes[1]);
    const v6only = await tx((trx) =>
      allocateChildNetwork(trx, {
        project: "p-carve",
        parentNetworkId: "tenant-super",
        addressFamily: AddressFamily.V6,
        length: { ipv6: 60 },
      }),
    );
    expect(v6only.prefixes).toHaveLength(1);
    expect(v6only.prefixes[0]).toMatch(/\/60$/);
  });

  it.runIf(run)("refuses children from networks that are not super networks", async () => {
    const err = await rejection(
      tx((trx) => allocateChildNetwork(trx, { project: "p1", parentNetworkId: "internet" })),
    );
    expect(err.code).toBe(Code.InvalidArgument);
    expect(err.rawMessage).toContain("is not a super network");
    const hidden = await rejection(
      tx((trx) => allocateChildNetwork(trx, { project: "p1", parentNetworkId: "underlay" })),
    );
    expect(hidden.code).toBe(Code.NotFound);
  });

  it.runIf(run)("allocates IPv4 and IPv6 addresses, skipping network, broadcast and used ones", async () => {
    // internet 185.1.2.0/29: .0 is the network, .7 the broadcast address; .1-.6 are usable.
    const first = await tx((trx) =>
      allocateIp(trx, { project: "p-ip", networkId: "internet", type: IPType.IP_TYPE_STATIC }),
    );
    expect(first.ip).toBe("185.1.2.1");
    const wanted = await tx((trx) =>
      allocateIp(trx, {
        project: "p-ip",
        networkId: "internet",
        address: "185.1.2.3",
        type: IPType.IP_TYPE_UNSPECIFIED,
      }),
    );
    expect(wanted.ip).toBe("185.1.2.3");
    expect(wanted.type).toBe(IPType.IP_TYPE_EPHEMERAL);
    const next = await tx((trx) =>
      allocateIp(trx, { project: "p-ip", networkId: "internet", type: IPType.IP_TYPE_EPHEMERAL }),
    );
    expect(next.ip).toBe("185.1.2.2");
    const v6 = await tx((trx) =>
      allocateIp(trx, {
        project: "p-ip",
        networkId: "internet",
        type: IPType.IP_TYPE_EPHEMERAL,
        addressFamily: AddressFamily.V6,
      }),
    );
    expect(v6.ip).toBe("2001:db8:1::1");
    const taken = await rejection(
      tx((trx) =>
        allocateIp(trx, {
          project: "p-other",
          networkId: "internet",
          address: "185.1.2.3",
          type: IPType.IP_TYPE_STATIC,
        }),
      ),
    );
    expect(taken.code).toBe(Code.AlreadyExists);
    for (const reserved of ["185.1.2.0", "185.1.2.7", "2001:db8:1::3"]) {
      const err = await rejection(
        tx((trx) =>
          allocateIp(trx, {
            project: "p-ip",
            networkId: "internet",
            address: reserved,
            type: IPType.IP_TYPE_STATIC,
          }),
        ),
      );
      expect(err.code).toBe(Code.InvalidArgument);
      expect(err.rawMessage).toContain("network or broadcast address");
    }
    const outside = await rejection(
      tx((trx) =>
        allocateIp(trx, {
          project: "p-ip",
          networkId: "internet",
          address: "10.0.0.5",
          type: IPType.IP_TYPE_STATIC,
        }),
      ),
    );
    expect(outside.code).toBe(Code.InvalidArgument);
    expect(outside.rawMessage).toContain('is not inside network "internet"');
  });

  it.runIf(run)("reports exhaustion naming the network and hands out released addresses again", async () => {
    const child = await tx((trx) =>
      allocateChildNetwork(trx, {
        project: "p-full",
        parentNetworkId: "tenant-super",
        addressFamily: AddressFamily.V4,
        length: { ipv4: 30 },
      }),
    );
    // A /30 has exactly two usable addresses.
    const a = await tx((trx) =>
      allocateIp(trx, { project: "p-full", networkId: child.id, type: IPType.IP_TYPE_STATIC }),
    );
    await tx((trx) =>
      allocateIp(trx, { project: "p-full", networkId: child.id, type: IPType.IP_TYPE_STATIC }),
    );
    const full = await rejection(
      tx((trx) => allocateIp(trx, { project: "p-full", networkId: child.id, type: IPType.IP_TYPE_STATIC })),
    );
    expect(full.code).toBe(Code.ResourceExhausted);
    expect(full.rawMessage).toBe(`network "${child.id}" has no free IPv4 address left`);
    await tx((trx) => releaseIp(trx, { project: "p-full", id: a.id }));
    const again = await tx((trx) =>
      allocateIp(trx, { project: "p-full", networkId: child.id, type: IPType.IP_TYPE_STATIC }),
    );
    expect(again.ip).toBe(a.ip);
  });

  it.runIf(run)("keeps IPs of other projects out of reach", async () => {
    const child = await tx((trx) =>
      allocateChildNetwork(trx, { project: "p-a", parentNetworkId: "tenant-super" }),
    );
    const ip = await tx((trx) =>
      allocateIp(trx, { project: "p-a", networkId: child.id, type: IPType.IP_TYPE_STATIC }),
    );
    expect(
      (
        await rejection(
          tx((trx) => allocateIp(trx, { project: "p-b", networkId: child.id, type: IPType.IP_TYPE_STATIC })),
        )
      ).code,
    ).toBe(Code.NotFound);
    expect((await rejection(tx((trx) => releaseIp(trx, { project: "p-b", id: ip.id })))).code).toBe(
      Code.NotFound,
    );
    expect((await rejection(tx((trx) => deleteChildNetwork(trx, "p-b", child.id)))).code).toBe(Code.NotFound);
    const busy = await rejection(tx((trx) => deleteChildNetwork(trx, "p-a", child.id)));
    expect(busy.code).toBe(Code.FailedPrecondition);
    await tx((trx) => releaseIp(trx, { project: "p-a", id: ip.id }));
    await tx((trx) => deleteChildNetwork(trx, "p-a", child.id));
  });

  it.runIf(run)("releases a machine's ephemeral IPs and detaches its static ones", async () => {
    const eph = await tx((trx) =>
      allocateIp(trx, {
        project: "p-m",
        networkId: "internet",
        type: IPType.IP_TYPE_EPHEMERAL,
        machineId: "m1",
      }),
    );
    const stat = await tx((trx) =>
      allocateIp(trx, {
        project: "p-m",
        networkId: "internet",
        type: IPType.IP_TYPE_STATIC,
        machineId: "m1",
      }),
    );
    const inUse = await rejection(tx((trx) => releaseIp(trx, { project: "p-m", id: stat.id })));
    expect(inUse.code).toBe(Code.FailedPrecondition);
    const released = await tx((trx) => releaseEphemeralIpsOfMachine(trx, "m1"));
    expect(released.map((i) => i.id)).toEqual([eph.id]);
    const kept = await tx((trx) => releaseIp(trx, { project: "p-m", id: stat.ip }));
    expect(kept.machineId).toBe("");
  });

  it.runIf(run)("lists a project's IPs in numeric address order", async () => {
    const child = await tx((trx) =>
      allocateChildNetwork(trx, {
        project: "p-order",
        parentNetworkId: "tenant-super",
        addressFamily: AddressFamily.V4,
      }),
    );
    for (let i = 0; i < 11; i++) {
      await tx((trx) =>
        allocateIp(trx, { project: "p-order", networkId: child.id, type: IPType.IP_TYPE_STATIC }),
      );
    }
    const listed = await tx((trx) => allIps(trx, { project: "p-order" }));
    expect(listed.map((i) => Number(i.ip.split(".")[3]))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it.runIf(run)("reports prefix exhaustion naming the super network", async () => {
    await tx((trx) =>
      createBaseNetwork(trx, {
        id: "tiny-super",
        type: NetworkType.SUPER,
        partition: "fra-equ01",
        name: "",
        description: "",
        prefixes: ["192.168.0.0/23"],
        destinationPrefixes: [],
        defaultChildPrefixLength: { ipv4: 24 },
        vrf: 0,
        nat: false,
        labels: {},
      }),
    );
    const got = await Promise.all(
      [1, 2].map(() =>
        tx((trx) => allocateChildNetwork(trx, { project: "p-x", parentNetworkId: "tiny-super" })),
      ),
    );
    expect(got.map((n) => n.prefixes[0]).sort()).toEqual(["192.168.0.0/24", "192.168.1.0/24"]);
    const err = await rejection(
      tx((trx) => allocateChildNetwork(trx, { project: "p-x", parentNetworkId: "tiny-super" })),
    );
    expect(err.code).toBe(Code.ResourceExhausted);
    expect(err.rawMessage).toBe('super network "tiny-super" has no free /24 IPv4 prefix left');
  });
});
