import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IPService as AdminIPService } from "../../../src/gen/metalstack/admin/v2/ip_pb.js";
import { NetworkService as AdminNetworkService } from "../../../src/gen/metalstack/admin/v2/network_pb.js";
import { PartitionService as AdminPartitionService } from "../../../src/gen/metalstack/admin/v2/partition_pb.js";
import { type IP, IPService, IPType } from "../../../src/gen/metalstack/api/v2/ip_pb.js";
import {
  AddressFamily,
  type Network,
  NetworkService,
  NetworkType,
} from "../../../src/gen/metalstack/api/v2/network_pb.js";
import { MAX_PAGE_SIZE } from "../../../src/server/store/paging.js";
import { startDialectServer } from "../../helpers/dialect-server.js";
import type { TestServer } from "../../helpers/start-server.js";
import { type Caller, operator, projectOwner } from "../catalog/callers.js";
import { failure } from "../tenancy/expect-code.js";
import { DIALECTS } from "./stores.js";

/** PageRequest is the paging of one list request. */
type PageRequest = { pageToken?: string; pageSize?: number };

/** collect walks every page of a list and returns the items and how many pages it took. */
async function collect<T>(
  fetchPage: (paging: PageRequest) => Promise<{ items: T[]; nextPageToken: string }>,
  pageSize: number,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let pageToken = "";
  let pages = 0;
  do {
    const res = await fetchPage({ pageSize, pageToken });
    expect(res.items.length).toBeLessThanOrEqual(pageSize);
    items.push(...res.items);
    pageToken = res.nextPageToken;
    pages++;
  } while (pageToken && pages < 100);
  expect(pageToken).toBe("");
  return { items, pages };
}

const token = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");

describe.each(DIALECTS)("network and IP lists page on %s", (dialect, run) => {
  let server: TestServer;
  let admin: Caller;
  let alice: Caller;
  let bob: Caller;
  const aliceChildren: string[] = [];
  let bobChild: string;
  let aliceNet: string;

  const networksOf = (c: Caller, paging: PageRequest) =>
    c
      .client(NetworkService)
      .list({ project: c.project, paging })
      .then((r) => ({ items: r.networks, nextPageToken: r.nextPageToken }));
  const ipsOf = (c: Caller, paging: PageRequest) =>
    c
      .client(IPService)
      .list({ project: c.project, paging })
      .then((r) => ({ items: r.ips, nextPageToken: r.nextPageToken }));
  const ids = (items: (Network | IP)[]) => items.map((i) => i.id);

  beforeAll(async () => {
    if (!run) return;
    server = await startDialectServer(dialect);
    admin = await operator(server, "page-admin");
    alice = await projectOwner(server, "page-alice");
    bob = await projectOwner(server, "page-bob");
    await admin.client(AdminPartitionService).create({ id: "fra-equ01" });
    const nets = admin.client(AdminNetworkService);
    await nets.create({
      id: "internet",
      type: NetworkType.EXTERNAL,
      prefixes: ["198.51.100.0/27"],
      destinationPrefixes: ["0.0.0.0/0"],
    });
    await nets.create({
      id: "super",
      type: NetworkType.SUPER,
      partition: "fra-equ01",
      prefixes: ["10.20.0.0/20"],
      defaultChildPrefixLength: { ipv4: 27 },
    });
    await nets.create({
      id: "underlay",
      type: NetworkType.UNDERLAY,
      partition: "fra-equ01",
      prefixes: ["10.254.0.0/24"],
    });
    // Two children share a name so the (project, name, id) order needs its id tie-breaker.
    for (const name of ["b", "a", "c", "a", "d"]) {
      const { network } = await alice
        .client(NetworkService)
        .create({ project: alice.project, parentNetworkId: "super", name, addressFamily: AddressFamily.V4 });
      aliceChildren.push(network!.id);
    }
    bobChild = (
      await bob.client(NetworkService).create({ project: bob.project, parentNetworkId: "super", name: "bob" })
    ).network!.id;
    aliceNet = aliceChildren[0]!;
    // 12 addresses in one child (.1 … .12: text order would put .10 before .2) and 3 external ones.
    for (let i = 0; i < 12; i++) {
      await alice
        .client(IPService)
        .create({ project: alice.project, network: aliceNet, type: IPType.IP_TYPE_STATIC, name: `ip-${i}` });
    }
    for (let i = 0; i < 3; i++) {
      await alice
        .client(IPService)
        .create({ project: alice.project, network: "internet", type: IPType.IP_TYPE_STATIC });
    }
    await bob
      .client(IPService)
      .create({ project: bob.project, network: bobChild, type: IPType.IP_TYPE_STATIC });
  });
  afterAll(async () => {
    await server?.close();
  });

  it.runIf(run)(
    "returns each of a project's networks exactly once across pages, in the one-page order",
    async () => {
      const whole = await networksOf(alice, { pageSize: MAX_PAGE_SIZE });
      expect(whole.nextPageToken).toBe("");
      expect(whole.items).toHaveLength(7);
      expect(ids(whole.items).slice(0, 2)).toEqual(["internet", "super"]);
      expect(whole.items.slice(2).map((n) => n.name)).toEqual(["a", "a", "b", "c", "d"]);
      for (const size of [1, 2, 3]) {
        const { items, pages } = await collect((p) => networksOf(alice, p), size);
        expect(ids(items)).toEqual(ids(whole.items));
        expect(pages).toBe(Math.ceil(7 / size));
      }
      // Without paging the server default page holds them all.
      expect(ids((await networksOf(alice, {})).items)).toEqual(ids(whole.items));
    },
  );

  it.runIf(run)(
    "returns each of a project's IPs exactly once across pages, by network and numeric address",
    async () => {
      const whole = await ipsOf(alice, { pageSize: MAX_PAGE_SIZE });
      expect(whole.items).toHaveLength(15);
      const own = whole.items.filter((i) => i.network === aliceNet).map((i) => Number(i.ip.split(".")[3]));
      expect(own).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      for (const size of [1, 4, 7]) {
        const { items } = await collect((p) => ipsOf(alice, p), size);
        expect(ids(items)).toEqual(ids(whole.items));
        expect(new Set(ids(items)).size).toBe(15);
      }
    },
  );

  it.runIf(run)("pages the operators' network and IP lists over every project", async () => {
    const all = await collect(
      (paging) =>
        admin
          .client(AdminNetworkService)
          .list({ paging })
          .then((r) => ({ items: r.networks, nextPageToken: r.nextPageToken })),
      2,
    );
    expect(ids(all.items).sort()).toEqual(
      ["internet", "super", "underlay", ...aliceChildren, bobChild].sort(),
    );
    expect(new Set(ids(all.items)).size).toBe(all.items.length);
    const ips = await collect(
      (paging) =>
        admin
          .client(AdminIPService)
          .list({ paging })
          .then((r) => ({ items: r.ips, nextPageToken: r.nextPageToken })),
      4,
    );
    expect(ips.items).toHaveLength(16);
    expect(new Set(ids(ips.items)).size).toBe(16);
    const onlyAlice = await collect(
      (paging) =>
        admin
          .client(AdminIPService)
          .list({ project: alice.project, paging })
          .then((r) => ({ items: r.ips, nextPageToken: r.nextPageToken })),
      5,
    );
    expect(ids(onlyAlice.items)).toEqual(ids((await ipsOf(alice, { pageSize: MAX_PAGE_SIZE })).items));
  });

  it.runIf(run)("neither repeats nor skips items when the list changes between pages", async () => {
    const first = await ipsOf(alice, { pageSize: 5 });
    // A released address of the first page and a new one in the rest must not disturb the cursor.
    await alice.client(IPService).delete({ project: alice.project, id: first.items[0]!.id });
    const added = await alice
      .client(IPService)
      .create({ project: alice.project, network: "internet", type: IPType.IP_TYPE_STATIC });
    const rest = await collect(
      (p) => ipsOf(alice, { ...p, pageToken: p.pageToken || first.nextPageToken }),
      5,
    );
    const seen = [...ids(first.items), ...ids(rest.items)];
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain(added.ip!.id);
    const now = ids((await ipsOf(alice, { pageSize: MAX_PAGE_SIZE })).items);
    expect(seen.filter((id) => id !== first.items[0]!.id)).toEqual(now);
  });

  it.runIf(run)("keeps a page token inside the caller's project", async () => {
    // Alice's token after her first network continues bob's own list: it moves the start, never the scope.
    const { nextPageToken } = await networksOf(alice, { pageSize: 1 });
    const bobs = await bob
      .client(NetworkService)
      .list({ project: bob.project, paging: { pageToken: nextPageToken } });
    expect(ids(bobs.networks)).not.toContain(aliceChildren[0]);
    for (const n of bobs.networks) expect(["", bob.project]).toContain(n.project);
    const ipToken = (await ipsOf(alice, { pageSize: 1 })).nextPageToken;
    const bobIps = await bob.client(IPService).list({ project: bob.project, paging: { pageToken: ipToken } });
    for (const i of bobIps.ips) expect(i.project).toBe(bob.project);
  });

  it.runIf(run)("refuses page tokens that no list handed out, naming the field", async () => {
    for (const bad of ["%%%", "bm90LWpzb24", token(["a", "b"]), token([1, 2, 3]), token({ a: 1 })]) {
      const err = await failure(networksOf(alice, { pageToken: bad }));
      expect(err.code).toBe(Code.InvalidArgument);
      expect(err.rawMessage).toBe("paging.page_token: not a token from a previous network list");
    }
    for (const bad of ["%%%", token(["internet", "10.0.0.1"]), token(["internet"]), token(["x", "4zz"])]) {
      const err = await failure(ipsOf(alice, { pageToken: bad }));
      expect(err.code).toBe(Code.InvalidArgument);
      expect(err.rawMessage).toBe("paging.page_token: not a token from a previous ip list");
    }
    const adminErr = await failure(admin.client(AdminIPService).list({ paging: { pageToken: "%%%" } }));
    expect(adminErr.code).toBe(Code.InvalidArgument);
    // A network list token is no IP list token.
    const networkToken = (await networksOf(alice, { pageSize: 1 })).nextPageToken;
    expect((await failure(ipsOf(alice, { pageToken: networkToken }))).code).toBe(Code.InvalidArgument);
  });

  it.runIf(run)("refuses page sizes above the maximum like machine lists do", async () => {
    // Each call starts only when awaited: a rejection waiting behind another await counts as unhandled.
    for (const call of [
      () => networksOf(alice, { pageSize: MAX_PAGE_SIZE + 1 }),
      () => ipsOf(alice, { pageSize: MAX_PAGE_SIZE + 1 }),
      () => admin.client(AdminNetworkService).list({ paging: { pageSize: MAX_PAGE_SIZE + 1 } }),
      () => admin.client(AdminIPService).list({ paging: { pageSize: MAX_PAGE_SIZE + 1 } }),
    ]) {
      const err = await failure(call());
      expect(err.code).toBe(Code.InvalidArgument);
      expect(err.rawMessage).toBe(`paging.page_size: at most ${MAX_PAGE_SIZE}, got ${MAX_PAGE_SIZE + 1}`);
    }
  });
});
