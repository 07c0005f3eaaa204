import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { localUserCreateRequest, localUserUpdateRequest } from "../../../src/cli/resources/admin-user.js";
import { parseLabels, readDocument } from "../../../src/cli/resources/common.js";
import { ipCreateRequest, ipListRequest, ipUpdateRequest } from "../../../src/cli/resources/ip.js";
import {
  machineCreateFromDocument,
  machineCreateRequest,
  machineListRequest,
  machineUpdateFromDocument,
  machineUpdateRequest,
  missingMachineCreateFlags,
} from "../../../src/cli/resources/machine.js";
import { loadApi } from "../../../src/cli/resources/method.js";
import { networkAllocateRequest, networkUpdateFromDocument } from "../../../src/cli/resources/network.js";
import { tenantInviteRequest, tenantUpdateRequest } from "../../../src/cli/resources/tenant.js";
import { LocalRole } from "../../../src/gen/metalstack/admin/v2/user_pb.js";
import { TenantRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { IPType } from "../../../src/gen/metalstack/api/v2/ip_pb.js";
import { MachineState } from "../../../src/gen/metalstack/api/v2/machine_pb.js";

describe("machine request builders", () => {
  it("builds a create request from flags, with noauto networks and labels", () => {
    const req = machineCreateRequest(
      {
        name: "web-1",
        partition: "fra",
        size: "s1",
        image: "ubuntu",
        networks: ["net-1,internet:noauto"],
        ips: ["10.0.0.5"],
        sshPublicKeys: ["ssh-ed25519 AAA\n"],
        labels: ["env=prod", "tier=web"],
      },
      "p1",
    );
    expect(req.project).toBe("p1");
    expect(req.networks.map((n) => [n.network, n.noAutoAcquireIp])).toEqual([
      ["net-1", false],
      ["internet", true],
    ]);
    expect(req.sshPublicKeys).toEqual(["ssh-ed25519 AAA"]);
    expect(req.labels).toEqual({ env: "prod", tier: "web" });
    expect(req.ips).toEqual(["10.0.0.5"]);
  });

  it("names every missing required flag", () => {
    expect(missingMachineCreateFlags({ name: "x", networks: [""] })).toEqual([
      "partition",
      "size",
      "image",
      "networks",
    ]);
    expect(
      missingMachineCreateFlags({ name: "x", partition: "p", size: "s", image: "i", networks: ["n"] }),
    ).toEqual([]);
  });

  it("builds list filters and refuses an unknown state", () => {
    const req = machineListRequest({ state: "reserved", label: ["a=b"], partition: "fra" }, "p1");
    expect(req.query?.state).toBe(MachineState.RESERVED);
    expect(req.query?.labels).toEqual({ a: "b" });
    expect(() => machineListRequest({ state: "broken" }, "p1")).toThrow(/--state: "broken" is not valid/);
  });

  it("leaves unset update fields unset", () => {
    const req = machineUpdateRequest("m1", { labels: ["x=1"], removeLabels: ["old"] }, "p1");
    expect(req.name).toBeUndefined();
    expect(req.sshPublicKeys).toBeUndefined();
    expect(req.labels).toMatchObject({ update: { x: "1" }, remove: ["old"] });
  });

  it("round-trips a described machine into create and update requests", () => {
    const described = {
      uuid: "m1",
      meta: { generation: "4", labels: { env: "prod" } },
      partition: "fra",
      size: "s1",
      allocation: { name: "web", image: "ubuntu", networks: [{ network: "net-1", ips: ["10.0.0.1"] }] },
      status: { lastEvent: "MACHINE_PROVISIONING_EVENT_TYPE_PHONED_HOME" },
    };
    const c = machineCreateFromDocument(described, "p1");
    expect([c.name, c.partition, c.size, c.image, c.networks[0]?.network]).toEqual([
      "web",
      "fra",
      "s1",
      "ubuntu",
      "net-1",
    ]);
    const u = machineUpdateFromDocument(described, "p1");
    expect(u.updateMeta?.generation).toBe(4n);
    expect(u.labels?.update).toEqual({ env: "prod" });
    expect(() => machineUpdateFromDocument({ partition: "fra" }, "p1")).toThrow(/no uuid/);
  });
});

describe("network, ip, tenant and user request builders", () => {
  it("builds a network allocation with prefix lengths", () => {
    const req = networkAllocateRequest(
      { name: "n", partition: "fra", ipv4Length: 24, addressFamily: "v4" },
      "p1",
    );
    expect(req.length?.ipv4).toBe(24);
    expect(req.length?.ipv6).toBeUndefined();
    expect(req.addressFamily).toBe(1);
  });

  it("computes removed labels when updating a network from a file", () => {
    const req = networkUpdateFromDocument(
      { id: "n1", meta: { generation: "2", labels: { keep: "1" } } },
      "p1",
      {
        keep: "0",
        gone: "x",
      },
    );
    expect(req.labels?.update).toEqual({ keep: "1" });
    expect(req.labels?.remove).toEqual(["gone"]);
    expect(req.updateMeta?.generation).toBe(2n);
  });

  it("builds IP requests and refuses a wrong type", () => {
    expect(ipCreateRequest({ network: "internet", type: "static" }, "p1").type).toBe(IPType.IP_TYPE_STATIC);
    expect(ipCreateRequest({ network: "internet" }, "p1").ip).toBeUndefined();
    expect(ipListRequest({ machine: "m1" }, "p1").machineId).toBe("m1");
    expect(() => ipUpdateRequest("i", { type: "sticky" }, "p1")).toThrow(/--type/);
  });

  it("builds tenant updates and invitations", () => {
    const u = tenantUpdateRequest("acme", { email: "x@y", removeLabels: ["a,b"] });
    expect(u.email).toBe("x@y");
    expect(u.name).toBeUndefined();
    expect(u.labels?.remove).toEqual(["a", "b"]);
    const inv = tenantInviteRequest("acme", "editor", 3_600_000, new Date("2026-01-01T00:00:00Z"));
    expect(inv.role).toBe(TenantRole.EDITOR);
    expect(Number(inv.expiresAt?.seconds)).toBe(Date.parse("2026-01-01T01:00:00Z") / 1000);
  });

  it("builds local user requests", () => {
    expect(localUserCreateRequest("alice", { roles: ["cluster_admin,read_only"] }, "pw").roles).toEqual([
      LocalRole.CLUSTER_ADMIN,
      LocalRole.READ_ONLY,
    ]);
    expect(localUserUpdateRequest("alice", { name: "A" }).roles).toBeUndefined();
    expect(() => localUserCreateRequest("a", { roles: ["god"] }, "pw")).toThrow(/--roles/);
  });
});

describe("shared helpers", () => {
  it("parses labels and refuses items without =", () => {
    expect(parseLabels(["a=1,b=x=y", " c = 3 "])).toEqual({ a: "1", b: "x=y", c: "3" });
    expect(() => parseLabels(["novalue"])).toThrow(/"novalue" is not key=value/);
  });

  it("refuses files that are not one object", () => {
    expect(() => readDocument("/nonexistent/file.yaml")).toThrow(/cannot read/);
  });

  it("finds API methods by full or short service name", async () => {
    const { find: findMethod, services } = await loadApi();
    // Every generated service is callable, the firewall's too, without a hand-kept list of files.
    expect(services.map((s) => s.typeName)).toContain("metalstack.api.v2.FirewallService");
    expect(services.map((s) => s.typeName)).toContain("metalstack.infra.v2.AgentService");
    expect(findMethod("metalstack.admin.v2.UserService/List").parent.typeName).toBe(
      "metalstack.admin.v2.UserService",
    );
    expect(findMethod("/PartitionService/List").parent.typeName).toBe("metalstack.api.v2.PartitionService");
    expect(() => findMethod("NoService/List")).toThrow(/unknown service/);
    expect(() => findMethod("MachineService/Explode")).toThrow(/has no method "Explode"/);
    expect(() => findMethod("MachineService")).toThrow(/is not SERVICE\/METHOD/);
  });

  it("loads every generated file (the list npm run generate writes is complete)", async () => {
    const { registry } = await loadApi();
    const loaded = new Set([...registry].map((t) => t.file.name));
    const gen = path.resolve(import.meta.dirname, "../../../src/gen/metalstack");
    const onDisk = fs
      .readdirSync(gen, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith("_pb.ts"))
      .map((f) => `metalstack/${f.replace(/_pb\.ts$/, "")}`);
    expect(onDisk.length).toBeGreaterThan(30);
    for (const name of onDisk) expect(loaded).toContain(name);
  });
});
