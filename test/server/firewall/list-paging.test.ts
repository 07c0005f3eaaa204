import { type Client, Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FirewallService } from "../../../src/gen/metalstack/api/v2/firewall_pb.js";
import { MAX_PAGE_SIZE } from "../../../src/server/store/paging.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import {
  type Clients,
  clientsForUser,
  createTestProject,
  IMAGE,
  INTERNET,
  PARTITION,
  SIZES,
  serviceClientForUser,
  startTestPool,
  type TestProject,
} from "../machine/fixture.js";
import { FIREWALL_IMAGE, seedFirewallCatalog } from "./fixture.js";

describe("firewall lists page", () => {
  let server: TestServer;
  let alice: TestProject;
  let firewalls: Client<typeof FirewallService>;
  let machines: Clients;
  let pool: Awaited<ReturnType<typeof startTestPool>>;
  const created: string[] = [];
  let plainMachine: string;

  beforeAll(async () => {
    server = await startTestServer();
    await seedFirewallCatalog(server.ctx);
    alice = await createTestProject(server.ctx, "alice");
    firewalls = await serviceClientForUser(server, FirewallService, "alice");
    machines = await clientsForUser(server, "alice");
    pool = await startTestPool(server, { count: 4, racks: ["r1"], prefix: "fwp", sizes: [SIZES[0]!] });
    for (const name of ["fw-a", "fw-b", "fw-c"]) {
      const { firewall } = await firewalls.create({
        project: alice.projectId,
        name,
        partition: PARTITION,
        size: SIZES[0]!,
        image: FIREWALL_IMAGE,
        networks: [{ network: alice.networkId }, { network: INTERNET }],
      });
      created.push(firewall!.machine!.uuid);
    }
    // A plain machine of the same project is never a firewall list item, on any page.
    const { machine } = await machines.machine.create({
      project: alice.projectId,
      name: "plain",
      partition: PARTITION,
      size: SIZES[0]!,
      image: IMAGE,
      networks: [{ network: alice.networkId }],
    });
    plainMachine = machine!.uuid;
  });
  afterAll(async () => {
    await pool?.stop();
    await server?.close();
  });

  it("returns each firewall exactly once across pages, in id order", async () => {
    const whole = await firewalls.list({ project: alice.projectId });
    expect(whole.nextPageToken).toBe("");
    const order = whole.firewalls.map((f) => f.machine!.uuid);
    expect(order).toEqual([...created].sort());
    for (const pageSize of [1, 2]) {
      const seen: string[] = [];
      let pageToken = "";
      let pages = 0;
      do {
        const res = await firewalls.list({ project: alice.projectId, paging: { pageSize, pageToken } });
        expect(res.firewalls.length).toBeLessThanOrEqual(pageSize);
        seen.push(...res.firewalls.map((f) => f.machine!.uuid));
        pageToken = res.nextPageToken;
        pages++;
      } while (pageToken && pages < 10);
      expect(seen).toEqual(order);
      expect(seen).not.toContain(plainMachine);
    }
  });

  it("refuses a page token that no list handed out and a page size above the maximum", async () => {
    for (const pageToken of ["%%%", Buffer.from("not-a-machine-id").toString("base64url")]) {
      await expect(firewalls.list({ project: alice.projectId, paging: { pageToken } })).rejects.toMatchObject(
        {
          code: Code.InvalidArgument,
          rawMessage: "paging.page_token: not a token from a previous firewall list",
        },
      );
    }
    await expect(
      firewalls.list({ project: alice.projectId, paging: { pageSize: MAX_PAGE_SIZE + 1 } }),
    ).rejects.toMatchObject({
      code: Code.InvalidArgument,
      rawMessage: `paging.page_size: at most ${MAX_PAGE_SIZE}, got ${MAX_PAGE_SIZE + 1}`,
    });
  });
});
