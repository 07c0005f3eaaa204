import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NetworkService as AdminNetworkService } from "../../../src/gen/metalstack/admin/v2/network_pb.js";
import { PartitionService as AdminPartitionService } from "../../../src/gen/metalstack/admin/v2/partition_pb.js";
import { IPService } from "../../../src/gen/metalstack/api/v2/ip_pb.js";
import { AddressFamily, NetworkService, NetworkType } from "../../../src/gen/metalstack/api/v2/network_pb.js";
import { formatPrefix, overlaps, type Prefix, parsePrefix } from "../../../src/server/ipam/cidr.js";
import { startDialectServer } from "../../helpers/dialect-server.js";
import type { TestServer } from "../../helpers/start-server.js";
import { type Caller, operator, projectOwner } from "../catalog/callers.js";
import { DIALECTS } from "../network/stores.js";

type Outcome<T> = { ok: T } | { code: Code; message: string };

async function settle<T>(p: Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: await p };
  } catch (e) {
    const err = ConnectError.from(e);
    return { code: err.code, message: err.rawMessage };
  }
}

describe.each(DIALECTS)("concurrent allocation over the API on %s", (dialect, run) => {
  let server: TestServer;
  let users: Caller[];

  beforeAll(async () => {
    if (!run) return;
    server = await startDialectServer(dialect);
    const admin = await operator(server, "conc-admin");
    users = await Promise.all(["u1", "u2", "u3", "u4"].map((u) => projectOwner(server, `conc-${u}`)));
    await admin.client(AdminPartitionService).create({ id: "fra-equ01" });
    const nets = admin.client(AdminNetworkService);
    // 30 usable addresses: .1 to .30 of a /27.
    await nets.create({ id: "small-internet", type: NetworkType.EXTERNAL, prefixes: ["192.0.2.0/27"] });
    // 16 children of /24 fit into the /20.
    await nets.create({
      id: "super",
      type: NetworkType.SUPER,
      partition: "fra-equ01",
      prefixes: ["10.20.0.0/20"],
      defaultChildPrefixLength: { ipv4: 24 },
    });
    await nets.create({
      id: "super-v6",
      type: NetworkType.SUPER,
      partition: "fra-equ01",
      prefixes: ["fd00:b::/60"],
      defaultChildPrefixLength: { ipv6: 64 },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it.runIf(run)(
    "45 concurrent IP allocations for 30 free addresses: 30 distinct IPs and 15 ResourceExhausted",
    async () => {
      const results = await Promise.all(
        Array.from({ length: 45 }, (_, i) => {
          const u = users[i % users.length]!;
          return settle(u.client(IPService).create({ project: u.project, network: "small-internet" }));
        }),
      );
      const ips = results.flatMap((r) => ("ok" in r ? [r.ok.ip!.ip] : []));
      const failures = results.flatMap((r) => ("code" in r ? [r] : []));
      expect(ips).toHaveLength(30);
      expect(new Set(ips).size).toBe(30);
      expect(ips.every((ip) => ip !== "192.0.2.0" && ip !== "192.0.2.31")).toBe(true);
      expect(failures).toHaveLength(15);
      for (const f of failures) {
        expect(f.code).toBe(Code.ResourceExhausted);
        expect(f.message).toBe('network "small-internet" has no free IPv4 address left');
      }
    },
  );

  it.runIf(run)("12 concurrent requests for one address: exactly one wins", async () => {
    const child = await users[0]!
      .client(NetworkService)
      .create({ project: users[0]!.project, parentNetworkId: "super" });
    const wanted = child.network!.prefixes[0]!.replace(/0\/24$/, "77");
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        settle(
          users[0]!
            .client(IPService)
            .create({ project: users[0]!.project, network: child.network!.id, ip: wanted }),
        ),
      ),
    );
    expect(results.filter((r) => "ok" in r)).toHaveLength(1);
    const lost = results.flatMap((r) => ("code" in r ? [r.code] : []));
    expect(lost).toEqual(Array(11).fill(Code.AlreadyExists));
    await users[0]!.client(IPService).delete({ project: users[0]!.project, id: wanted });
    await users[0]!.client(NetworkService).delete({ project: users[0]!.project, id: child.network!.id });
  });

  it.runIf(run)(
    "24 concurrent child networks from room for 16: 16 disjoint prefixes and 8 ResourceExhausted",
    async () => {
      const results = await Promise.all(
        Array.from({ length: 24 }, (_, i) => {
          const u = users[i % users.length]!;
          return settle(
            u.client(NetworkService).create({
              project: u.project,
              parentNetworkId: "super",
              addressFamily: AddressFamily.V4,
              // Mixed lengths make overlap (not just equal prefixes) possible if allocation raced.
              length: i % 8 === 0 ? { ipv4: 23 } : undefined,
            }),
          );
        }),
      );
      const prefixes = results.flatMap((r) =>
        "ok" in r ? [parsePrefix(r.ok.network!.prefixes[0]!) as Prefix] : [],
      );
      for (const [i, a] of prefixes.entries()) {
        for (const b of prefixes.slice(i + 1)) {
          expect(overlaps(a, b), `${formatPrefix(a)} overlaps ${formatPrefix(b)}`).toBe(false);
        }
      }
      const addresses = prefixes.reduce((n, p) => n + 2 ** (32 - p.length), 0);
      expect(addresses).toBeLessThanOrEqual(4096);
      const failures = results.flatMap((r) => ("code" in r ? [r] : []));
      expect(failures.length).toBeGreaterThan(0);
      expect(prefixes.length + failures.length).toBe(24);
      for (const f of failures) {
        expect(f.code).toBe(Code.ResourceExhausted);
        expect(f.message).toMatch(/^super network "super" has no free \/2[34] IPv4 prefix left$/);
      }
    },
  );

  it.runIf(run)("concurrent IPv6 children never share a prefix", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const u = users[i % users.length]!;
        return settle(u.client(NetworkService).create({ project: u.project, parentNetworkId: "super-v6" }));
      }),
    );
    const prefixes = results.flatMap((r) => ("ok" in r ? [r.ok.network!.prefixes[0]!] : []));
    expect(prefixes).toHaveLength(16);
    expect(new Set(prefixes).size).toBe(16);
    expect(results.filter((r) => "code" in r && r.code === Code.ResourceExhausted)).toHaveLength(4);
  });
});
