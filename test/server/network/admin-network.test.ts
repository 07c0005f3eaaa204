import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NetworkService as AdminNetworkService } from "../../../src/gen/metalstack/admin/v2/network_pb.js";
import { PartitionService as AdminPartitionService } from "../../../src/gen/metalstack/admin/v2/partition_pb.js";
import { NetworkService, NetworkType } from "../../../src/gen/metalstack/api/v2/network_pb.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import { type Caller, operator, projectOwner } from "../catalog/callers.js";
import { failure } from "../tenancy/expect-code.js";

describe("operator network management", () => {
  let server: TestServer;
  let admin: Caller;
  let user: Caller;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await operator(server, "adm-net");
    user = await projectOwner(server, "adm-net-user");
    await admin.client(AdminPartitionService).create({ id: "ams-1" });
  });
  afterAll(() => server.close());

  it("validates base networks and names the field", async () => {
    const nets = admin.client(AdminNetworkService);
    const noLength = await failure(
      nets.create({
        id: "s1",
        type: NetworkType.SUPER,
        partition: "ams-1",
        prefixes: ["10.0.0.0/16", "fd00::/48"],
      }),
    );
    expect(noLength.code).toBe(Code.InvalidArgument);
    expect(noLength.rawMessage).toBe(
      "default_child_prefix_length.ipv4: required, the network has IPv4 prefixes",
    );
    const hostBits = await failure(
      nets.create({ id: "e1", type: NetworkType.EXTERNAL, prefixes: ["192.0.2.1/24"] }),
    );
    expect(hostBits.rawMessage).toBe(
      'prefixes[0]: "192.0.2.1/24" has host bits set; did you mean 192.0.2.0/24?',
    );
    const child = await failure(
      nets.create({ id: "c1", type: NetworkType.CHILD, prefixes: ["192.0.2.0/24"] }),
    );
    expect(child.code).toBe(Code.InvalidArgument);
    const partition = await failure(
      nets.create({ id: "u1", type: NetworkType.UNDERLAY, partition: "nowhere", prefixes: ["10.9.0.0/24"] }),
    );
    expect(partition.code).toBe(Code.NotFound);
    const tooShort = await failure(
      nets.create({
        id: "s2",
        type: NetworkType.SUPER,
        partition: "ams-1",
        prefixes: ["10.1.0.0/16"],
        defaultChildPrefixLength: { ipv4: 8 },
      }),
    );
    expect(tooShort.rawMessage).toBe("default_child_prefix_length.ipv4: 8 must be between 16 and 32");
  });

  it("updates a super network and refuses deleting networks or partitions still in use", async () => {
    const nets = admin.client(AdminNetworkService);
    const created = await nets.create({
      id: "super-ams",
      type: NetworkType.SUPER,
      partition: "ams-1",
      prefixes: ["10.30.0.0/16"],
      defaultChildPrefixLength: { ipv4: 24 },
    });
    const updated = await nets.update({
      id: "super-ams",
      updateMeta: { generation: created.network!.meta!.generation },
      defaultChildPrefixLength: { ipv4: 26 },
      labels: { update: { tier: "gold" }, remove: [] },
    });
    expect(updated.network?.defaultChildPrefixLength?.ipv4).toBe(26);
    expect(updated.network?.meta?.labels).toEqual({ tier: "gold" });
    const stale = await failure(nets.update({ id: "super-ams", updateMeta: { generation: 1n }, name: "x" }));
    expect(stale.code).toBe(Code.FailedPrecondition);

    const child = await user
      .client(NetworkService)
      .create({ project: user.project, parentNetworkId: "super-ams" });
    expect(child.network?.prefixes).toEqual(["10.30.0.0/26"]);
    const inUse = await failure(nets.delete({ id: "super-ams" }));
    expect(inUse.code).toBe(Code.FailedPrecondition);
    expect(inUse.rawMessage).toContain("still has child networks");
    const partitionInUse = await failure(admin.client(AdminPartitionService).delete({ id: "ams-1" }));
    expect(partitionInUse.code).toBe(Code.FailedPrecondition);
    const notBase = await failure(nets.delete({ id: child.network!.id }));
    expect(notBase.code).toBe(Code.InvalidArgument);

    await user.client(NetworkService).delete({ project: user.project, id: child.network!.id });
    await nets.delete({ id: "super-ams" });
    await admin.client(AdminPartitionService).delete({ id: "ams-1" });
    expect((await failure(nets.get({ id: "super-ams" }))).code).toBe(Code.NotFound);
  });
});
