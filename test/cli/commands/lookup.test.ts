import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DescService } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FirewallService } from "../../../src/gen/metalstack/api/v2/firewall_pb.js";
import { ImageService } from "../../../src/gen/metalstack/api/v2/image_pb.js";
import { IPService } from "../../../src/gen/metalstack/api/v2/ip_pb.js";
import { MachineService } from "../../../src/gen/metalstack/api/v2/machine_pb.js";
import { NetworkService } from "../../../src/gen/metalstack/api/v2/network_pb.js";
import { PartitionService } from "../../../src/gen/metalstack/api/v2/partition_pb.js";
import { ProjectService } from "../../../src/gen/metalstack/api/v2/project_pb.js";
import { SizeService } from "../../../src/gen/metalstack/api/v2/size_pb.js";
import { TenantService } from "../../../src/gen/metalstack/api/v2/tenant_pb.js";
import { fakeApi } from "../../helpers/fake-api.js";
import { runCommand } from "../../helpers/run-command.js";

const PROJECT = "11111111-1111-4111-8111-111111111111";
// Two items whose IDs share the prefix "b2" and differ from "b2b" on.
const ID1 = "b2a1a1a1-0000-4000-8000-000000000001";
const ID2 = "b2b2b2b2-0000-4000-8000-000000000002";

let home: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), "metalctl-lookup-"));
  env = { HOME: home, METALCTL_API_URL: "http://127.0.0.1:1", METALCTL_PROJECT: PROJECT };
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

/** Kind is one resource as its describe command and its service see it. */
interface Kind {
  topic: string;
  service: DescService;
  /** The list response field and the get response field. */
  many: string;
  one: string;
  /** An item with this ID and name, in the service's shape. */
  item(id: string, name: string): object;
  /** The ID a get request names. */
  idOf(req: Record<string, unknown>): unknown;
  /** Whether a name that matches nothing goes to the server as typed (images: "ubuntu" is the latest). */
  passThrough?: boolean;
}

const kinds: Kind[] = [
  {
    topic: "project",
    service: ProjectService,
    many: "projects",
    one: "project",
    item: (id, name) => ({ id, name, tenant: "acme" }),
    idOf: (r) => r.project,
  },
  {
    topic: "tenant",
    service: TenantService,
    many: "tenants",
    one: "tenant",
    item: (id, name) => ({ id, name }),
    idOf: (r) => r.tenant,
  },
  {
    topic: "machine",
    service: MachineService,
    many: "machines",
    one: "machine",
    item: (uuid, name) => ({ uuid, allocation: { name, hostname: `${name}.example` } }),
    idOf: (r) => r.uuid,
  },
  {
    topic: "firewall",
    service: FirewallService,
    many: "firewalls",
    one: "firewall",
    item: (uuid, name) => ({ machine: { uuid, allocation: { name } } }),
    idOf: (r) => r.uuid,
  },
  {
    topic: "network",
    service: NetworkService,
    many: "networks",
    one: "network",
    item: (id, name) => ({ id, name }),
    idOf: (r) => r.id,
  },
  {
    topic: "ip",
    service: IPService,
    many: "ips",
    one: "ip",
    item: (id, name) => ({ id, name, ip: id === ID1 ? "203.0.113.1" : "203.0.113.2" }),
    idOf: (r) => r.id,
  },
  {
    topic: "image",
    service: ImageService,
    many: "images",
    one: "image",
    item: (id, name) => ({ id, name }),
    idOf: (r) => r.id,
    passThrough: true,
  },
  {
    topic: "size",
    service: SizeService,
    many: "sizes",
    one: "size",
    item: (id, name) => ({ id, name }),
    idOf: (r) => r.id,
  },
  {
    topic: "partition",
    service: PartitionService,
    many: "partitions",
    one: "partition",
    // Partitions have no name besides their ID; they are named by an ID prefix.
    item: (id) => ({ id, description: "" }),
    idOf: (r) => r.id,
  },
];

function api(kind: Kind) {
  const items = [kind.item(ID1, "alpha"), kind.item(ID2, "beta")];
  return fakeApi((router) =>
    router.service(kind.service, {
      list: () => ({ [kind.many]: items }),
      get: (req: Record<string, unknown>) => {
        const id = kind.idOf(req);
        const found = items.find((i) => JSON.stringify(i).includes(`"${id}"`));
        if (!found) throw new ConnectError(`${kind.topic} "${id}" not found`, Code.NotFound);
        return { [kind.one]: found };
      },
    } as never),
  );
}

describe.each(kinds)("$topic describe names an item through the shared lookup", (kind) => {
  const noun = kind.topic === "ip" ? "IP" : kind.topic;
  const describeIt = async (text: string) => {
    const { transport, calls } = api(kind);
    const res = await runCommand([kind.topic, "describe", text], { env, transport });
    const get = calls.find((c) => c.method.endsWith("/Get"));
    return { res, calls, sent: get ? kind.idOf(get.request as Record<string, unknown>) : undefined };
  };

  it.skipIf(kind.topic === "partition")("by its name", async () => {
    const { res, sent } = await describeIt("beta");
    expect(res.code, res.stderr).toBe(0);
    expect(sent).toBe(ID2);
  });

  it("by its full ID, without listing when it is a UUID", async () => {
    const { res, sent, calls } = await describeIt(ID1);
    expect(res.code, res.stderr).toBe(0);
    expect(sent).toBe(ID1);
    expect(calls.map((c) => c.method)).toEqual([`${kind.service.name}/Get`]);
  });

  it.skipIf(kind.passThrough)(
    "by a unique ID prefix, and refuses an ambiguous one listing both",
    async () => {
      const unique = await describeIt("b2b");
      expect(unique.res.code, unique.res.stderr).toBe(0);
      expect(unique.sent).toBe(ID2);
      const ambiguous = await describeIt("b2");
      expect(ambiguous.res.code).toBe(2);
      expect(ambiguous.res.stderr).toContain(`${noun} "b2" is ambiguous: 2 match`);
      expect(ambiguous.res.stderr).toContain(ID1);
      expect(ambiguous.res.stderr).toContain(ID2);
      expect(ambiguous.sent).toBeUndefined();
    },
  );

  it("refuses a name that matches nothing with exit 5", async () => {
    const { res, sent } = await describeIt("nosuch");
    expect(res.code).toBe(5);
    expect(res.stdout).toBe("");
    if (kind.passThrough) expect(sent).toBe("nosuch");
    else {
      expect(res.stderr).toContain(`no ${noun} "nosuch" among the ${noun}s you can use`);
      expect(sent).toBeUndefined();
    }
  });
});

describe("the selected project by name", () => {
  it("resolves --project once, and refuses an unknown one instead of listing nothing", async () => {
    const { transport, calls } = fakeApi((router) => {
      router.service(ProjectService, { list: () => ({ projects: [{ id: PROJECT, name: "web" }] }) });
      router.service(IPService, { list: () => ({}) });
    });
    const ok = await runCommand(["ip", "list", "--project", "web"], { env, transport });
    expect(ok.code, ok.stderr).toBe(0);
    expect(calls.map((c) => c.method)).toEqual(["ProjectService/List", "IPService/List"]);
    expect(calls[1]?.request).toMatchObject({ project: PROJECT });
    const unknown = await runCommand(["ip", "list", "--project", "nosuch"], { env, transport });
    expect(unknown.code).toBe(5);
    expect(unknown.stdout).toBe("");
    expect(unknown.stderr).toContain('no project "nosuch" among the projects you can use');
  });
});
