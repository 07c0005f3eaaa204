import type { MessageInitShape } from "@bufbuild/protobuf";
import { type Client, Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import {
  FirewallProtocol,
  type FirewallRules,
  type FirewallRulesSchema,
  FirewallService,
} from "../../../src/gen/metalstack/api/v2/firewall_pb.js";
import { MachineProvisioningEventType as Ev } from "../../../src/gen/metalstack/api/v2/machine_pb.js";
import { ensureUser } from "../../../src/server/tenancy/users.js";
import { allIps } from "../../helpers/ips.js";
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
  reclaimed,
  SIZES,
  serviceClientForUser,
  startTestPool,
  type TestProject,
} from "../machine/fixture.js";
import { FIREWALL_IMAGE, seedFirewallCatalog } from "./fixture.js";

const RULES = {
  egress: [{ protocol: FirewallProtocol.TCP, ports: [443, 80], cidrs: ["0.0.0.0/0"], comment: "web" }],
  ingress: [{ protocol: FirewallProtocol.UDP, ports: [53], cidrs: ["10.0.0.0/8"], comment: "" }],
};

describe("firewalls over the wire", () => {
  let server: TestServer;
  let alice: TestProject;
  let bob: TestProject;
  let asAlice: Clients & { firewall: Client<typeof FirewallService> };
  let asBob: Client<typeof FirewallService>;
  let asCarol: Client<typeof FirewallService>;
  let asOps: Clients;
  let pool: Awaited<ReturnType<typeof startTestPool>>;

  function firewallClient(userId: string): Promise<Client<typeof FirewallService>> {
    return serviceClientForUser(server, FirewallService, userId);
  }

  beforeAll(async () => {
    server = await startTestServer();
    await seedFirewallCatalog(server.ctx);
    alice = await createTestProject(server.ctx, "alice");
    bob = await createTestProject(server.ctx, "bob");
    await addProjectViewer(server.ctx, alice.projectId, "carol");
    await ensureUser(server.ctx, { id: "ops", name: "ops", email: "", adminRole: AdminRole.EDITOR });
    asAlice = { ...(await clientsForUser(server, "alice")), firewall: await firewallClient("alice") };
    asBob = await firewallClient("bob");
    asCarol = await firewallClient("carol");
    asOps = await clientsForUser(server, "ops");
    pool = await startTestPool(server, { count: 3, racks: ["r1"], prefix: "fw", sizes: [SIZES[0]!] });
  });
  afterAll(async () => {
    await pool?.stop();
    await server?.close();
  });

  function createFirewall(
    name: string,
    extra: { image?: string; networks?: { network: string }[]; rules?: FirewallRules | typeof RULES } = {},
  ) {
    return asAlice.firewall.create({
      project: alice.projectId,
      name,
      partition: PARTITION,
      size: SIZES[0]!,
      image: extra.image ?? FIREWALL_IMAGE,
      networks: extra.networks ?? [{ network: alice.networkId }, { network: INTERNET }],
      rules: extra.rules ?? RULES,
    });
  }

  it("allocates a firewall with its rules, hides it from the machine list and frees it on delete", async () => {
    const { firewall } = await createFirewall("fw-1");
    const id = firewall!.machine!.uuid;
    expect(firewall?.machine?.allocation).toMatchObject({
      project: alice.projectId,
      name: "fw-1",
      image: FIREWALL_IMAGE,
      filesystemLayout: "firewall",
    });
    expect(firewall?.machine?.allocation?.networks.map((n) => n.network)).toEqual([
      alice.networkId,
      INTERNET,
    ]);
    expect(firewall?.rules?.egress[0]).toMatchObject({ protocol: FirewallProtocol.TCP, ports: [80, 443] });
    expect(firewall?.rules?.ingress[0]).toMatchObject({ ports: [53], cidrs: ["10.0.0.0/8"] });
    expect(firewall?.rulesGeneration).toBe(1n);

    await eventually(async () => {
      const { firewall: f } = await asAlice.firewall.get({ project: alice.projectId, uuid: id });
      return f?.machine?.status?.lastEvent === Ev.PHONED_HOME ? f : undefined;
    }, "Phoned Home");
    const { firewalls } = await asCarol.list({ project: alice.projectId });
    expect(firewalls.map((f) => f.machine?.uuid)).toEqual([id]);
    const { machines } = await asAlice.machine.list({ project: alice.projectId });
    expect(machines.map((m) => m.uuid)).not.toContain(id);
    // The machine service refuses to change or free a firewall behind the firewall service's back …
    const project = alice.projectId;
    for (const call of [
      () => asAlice.machine.get({ project, uuid: id }),
      () => asAlice.machine.update({ project, uuid: id, updateMeta: { generation: 0n }, description: "x" }),
      () => asAlice.machine.reinstall({ project, uuid: id, image: IMAGE }),
      () => asAlice.machine.delete({ project, uuid: id }),
    ]) {
      await expect(call()).rejects.toMatchObject({
        code: Code.FailedPrecondition,
        rawMessage: expect.stringContaining(`metalctl firewall describe|update-rules|delete ${id}`),
      });
    }
    // … but its events and management interface are the machine's.
    expect((await asAlice.machine.events({ project, uuid: id })).events.length).toBeGreaterThan(0);
    await asAlice.machine.identify({ project, uuid: id, on: true });

    const { firewall: deleted } = await asAlice.firewall.delete({ project: alice.projectId, uuid: id });
    expect(deleted?.machine?.allocation?.name).toBe("fw-1");
    await expect(asAlice.firewall.get({ project: alice.projectId, uuid: id })).rejects.toMatchObject({
      code: Code.NotFound,
    });
    expect(await allIps(server.ctx.db.kysely, { project: alice.projectId })).toEqual([]);
    expect((await reclaimed(asOps, id)).allocation).toBeUndefined();
  });

  it("refuses a machine image with InvalidArgument naming the image field", async () => {
    await expect(createFirewall("fw-bad-image", { image: IMAGE })).rejects.toMatchObject({
      code: Code.InvalidArgument,
      rawMessage: expect.stringMatching(/^image: .*not a firewall image/),
    });
  });

  it("refuses a firewall without an external network", async () => {
    await expect(
      createFirewall("fw-no-ext", { networks: [{ network: alice.networkId }] }),
    ).rejects.toMatchObject({
      code: Code.InvalidArgument,
      rawMessage: expect.stringMatching(/^networks: .*external network/),
    });
  });

  it("refuses invalid rules at create before any machine is taken", async () => {
    const bad = {
      egress: [{ protocol: FirewallProtocol.TCP, ports: [443], cidrs: ["0.0.0.0"], comment: "" }],
      ingress: [],
    };
    await expect(createFirewall("fw-bad-rule", { rules: bad })).rejects.toMatchObject({
      code: Code.InvalidArgument,
      rawMessage: expect.stringContaining("rules.egress[0].cidrs[0]"),
    });
    const { firewalls } = await asAlice.firewall.list({ project: alice.projectId });
    expect(firewalls).toEqual([]);
  });

  it("lets a viewer read but not create, and hides firewalls from other projects", async () => {
    await expect(
      asCarol.create({
        project: alice.projectId,
        name: "fw-viewer",
        partition: PARTITION,
        size: SIZES[0]!,
        image: FIREWALL_IMAGE,
        networks: [{ network: alice.networkId }, { network: INTERNET }],
      }),
    ).rejects.toMatchObject({ code: Code.PermissionDenied });
    const { firewall } = await createFirewall("fw-private");
    const id = firewall!.machine!.uuid;
    await expect(asCarol.get({ project: alice.projectId, uuid: id })).resolves.toBeDefined();
    await expect(asCarol.delete({ project: alice.projectId, uuid: id })).rejects.toMatchObject({
      code: Code.PermissionDenied,
    });
    await expect(asBob.get({ project: alice.projectId, uuid: id })).rejects.toMatchObject({
      code: Code.PermissionDenied,
    });
    for (const call of [
      () => asBob.get({ project: bob.projectId, uuid: id }),
      () => asBob.delete({ project: bob.projectId, uuid: id }),
      () => asBob.updateRules({ project: bob.projectId, uuid: id, rules: RULES }),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: Code.NotFound });
    }
    const { firewalls } = await asBob.list({ project: bob.projectId });
    expect(firewalls).toEqual([]);
    await asAlice.firewall.delete({ project: alice.projectId, uuid: id });
  });

  it("updates rules with validation and optimistic locking, and persists them", async () => {
    const { firewall } = await createFirewall("fw-rules");
    const id = firewall!.machine!.uuid;
    for (const [rules, field] of [
      [
        { egress: [{ protocol: FirewallProtocol.UNSPECIFIED, ports: [1], cidrs: ["::/0"], comment: "" }] },
        "rules.egress[0].protocol",
      ],
      [
        { ingress: [{ protocol: FirewallProtocol.TCP, ports: [70000], cidrs: ["::/0"], comment: "" }] },
        "rules.ingress[0].ports[0]",
      ],
      [
        { ingress: [{ protocol: FirewallProtocol.TCP, ports: [], cidrs: ["::/0"], comment: "" }] },
        "rules.ingress[0].ports",
      ],
      [
        { ingress: [{ protocol: FirewallProtocol.TCP, ports: [22], cidrs: ["10.0.0.0/33"], comment: "" }] },
        "rules.ingress[0].cidrs[0]",
      ],
    ] satisfies [MessageInitShape<typeof FirewallRulesSchema>, string][]) {
      await expect(
        asAlice.firewall.updateRules({ project: alice.projectId, uuid: id, rules }),
      ).rejects.toMatchObject({ code: Code.InvalidArgument, rawMessage: expect.stringContaining(field) });
    }
    const next = {
      egress: [],
      ingress: [{ protocol: FirewallProtocol.TCP, ports: [22], cidrs: ["2001:db8::/32"], comment: "ssh" }],
    };
    const { firewall: updated } = await asAlice.firewall.updateRules({
      project: alice.projectId,
      uuid: id,
      updateMeta: { generation: 1n },
      rules: next,
    });
    expect(updated?.rulesGeneration).toBe(2n);
    await expect(
      asAlice.firewall.updateRules({
        project: alice.projectId,
        uuid: id,
        updateMeta: { generation: 1n },
        rules: RULES,
      }),
    ).rejects.toMatchObject({ code: Code.FailedPrecondition });
    await expect(
      asCarol.updateRules({ project: alice.projectId, uuid: id, rules: RULES }),
    ).rejects.toMatchObject({
      code: Code.PermissionDenied,
    });
    const { firewall: read } = await asCarol.get({ project: alice.projectId, uuid: id });
    expect(read?.rules?.egress).toEqual([]);
    expect(read?.rules?.ingress.map((r) => [r.ports, r.cidrs, r.comment])).toEqual([
      [[22], ["2001:db8::/32"], "ssh"],
    ]);
    await asAlice.firewall.delete({ project: alice.projectId, uuid: id });
  });
});
