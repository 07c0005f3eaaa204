import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IPType } from "../../src/gen/metalstack/api/v2/ip_pb.js";
import { NetworkType } from "../../src/gen/metalstack/api/v2/network_pb.js";
import { createPartition } from "../../src/server/catalog/partitions.js";
import { allocateIp } from "../../src/server/ipam/ips.js";
import { allocateChildNetwork, createBaseNetwork } from "../../src/server/ipam/networks.js";
import { DEFAULT_PAGE_SIZE } from "../../src/server/store/paging.js";
import { createProject } from "../../src/server/tenancy/projects.js";
import { ensureUser } from "../../src/server/tenancy/users.js";
import { cliEnv, runCli } from "../helpers/cli.js";
import { startTestServer, type TestServer } from "../helpers/start-server.js";

// More items than one server page: the CLI must follow next_page_token to list them all.
const CHILDREN = DEFAULT_PAGE_SIZE + 3;
const IPS = DEFAULT_PAGE_SIZE + 7;

describe("network and ip list fetch every page", () => {
  let server: TestServer;
  let home: string;
  let env: NodeJS.ProcessEnv;
  let project: string;
  let crowded: string;

  beforeAll(async () => {
    server = await startTestServer();
    const ctx = server.ctx;
    const db = ctx.db.kysely;
    await ensureUser(ctx, { id: "pager", name: "pager", email: "pager@example.com" });
    project = (await createProject(ctx, "pager", "pager", { name: "paged", description: "", labels: {} })).id;
    await createPartition(db, { id: "fra-equ01", description: "", labels: {} });
    await createBaseNetwork(db, {
      id: "tenant-super",
      type: NetworkType.SUPER,
      partition: "fra-equ01",
      name: "super",
      description: "",
      prefixes: ["10.0.0.0/16"],
      destinationPrefixes: [],
      defaultChildPrefixLength: { ipv4: 28 },
      vrf: 0,
      nat: false,
      labels: {},
    });
    await createBaseNetwork(db, {
      id: "internet",
      type: NetworkType.EXTERNAL,
      partition: "",
      name: "internet",
      description: "",
      prefixes: ["198.51.100.0/24"],
      destinationPrefixes: ["0.0.0.0/0"],
      vrf: 0,
      nat: true,
      labels: {},
    });
    crowded = (
      await db.transaction().execute((trx) =>
        allocateChildNetwork(trx, {
          project,
          parentNetworkId: "tenant-super",
          name: "crowded",
          length: { ipv4: 22 },
        }),
      )
    ).id;
    for (let i = 0; i < CHILDREN - 1; i++) {
      await db.transaction().execute((trx) =>
        allocateChildNetwork(trx, {
          project,
          parentNetworkId: "tenant-super",
          name: `net-${String(i).padStart(3, "0")}`,
        }),
      );
    }
    for (let i = 0; i < IPS; i++) {
      await db
        .transaction()
        .execute((trx) => allocateIp(trx, { project, networkId: crowded, type: IPType.IP_TYPE_STATIC }));
    }
    home = fs.mkdtempSync(path.join(os.tmpdir(), "metalctl-home-"));
    env = cliEnv(home, server.url, (await ctx.tokens.issueUserSession("pager")).accessToken, project);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it("network list shows every network, the children of the last page under their parent", async () => {
    const json = await runCli(["network", "list", "-o", "json"], env);
    expect(json.code, json.stderr).toBe(0);
    const networks = JSON.parse(json.stdout) as { id: string; parentNetworkId?: string }[];
    expect(networks).toHaveLength(CHILDREN + 2);
    expect(new Set(networks.map((n) => n.id)).size).toBe(CHILDREN + 2);

    const table = await runCli(["network", "list"], env);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trimEnd().split("\n");
    // Every child hangs under the super network; the last one, from the last page, closes the tree.
    const superAt = lines.findIndex((l) => l.startsWith("tenant-super"));
    expect(superAt).toBeGreaterThanOrEqual(0);
    const children = lines.slice(superAt + 1);
    expect(children).toHaveLength(CHILDREN);
    expect(children.slice(0, -1).every((l) => l.startsWith("├─ "))).toBe(true);
    expect(children.at(-1)).toMatch(/^└─ /);
    expect(lines.some((l) => l.startsWith("internet"))).toBe(true);
  });

  it("ip list shows every address once, in address order", async () => {
    const json = await runCli(["ip", "list", "-o", "json"], env);
    expect(json.code, json.stderr).toBe(0);
    const ips = JSON.parse(json.stdout) as { id: string; ip: string }[];
    expect(ips).toHaveLength(IPS);
    expect(new Set(ips.map((i) => i.id)).size).toBe(IPS);
    const value = (ip: string) => ip.split(".").reduce((acc, p) => acc * 256 + Number(p), 0);
    const values = ips.map((i) => value(i.ip));
    expect(values).toEqual([...values].sort((a, b) => a - b));
  });
});
