import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NetworkService as AdminNetworkService } from "../../../src/gen/metalstack/admin/v2/network_pb.js";
import { PartitionService as AdminPartitionService } from "../../../src/gen/metalstack/admin/v2/partition_pb.js";
import type { Meta, UpdateLabelsSchema } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { IPService } from "../../../src/gen/metalstack/api/v2/ip_pb.js";
import { NetworkService, NetworkType } from "../../../src/gen/metalstack/api/v2/network_pb.js";
import { ProjectService } from "../../../src/gen/metalstack/api/v2/project_pb.js";
import { TenantService } from "../../../src/gen/metalstack/api/v2/tenant_pb.js";
import { startDialectServer } from "../../helpers/dialect-server.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import { type Caller, operator, projectOwner, sameCallerOn } from "../catalog/callers.js";
import { DIALECTS } from "../network/stores.js";

const WRITERS = 10;

/** Updater sends one update of a resource with a generation (0: none) and labels; it returns the new meta. */
type Updater = (
  caller: Caller,
  generation: bigint,
  labels: MessageInitShape<typeof UpdateLabelsSchema>,
) => Promise<Meta | undefined>;

async function codeOf(call: Promise<unknown>): Promise<Code | "ok"> {
  try {
    await call;
    return "ok";
  } catch (err) {
    return ConnectError.from(err).code;
  }
}

// On PostgreSQL the writers go to two replicas of one database, as in production; SQLite is embedded.
describe.each(DIALECTS)("concurrent updates on %s", (dialect, run) => {
  let server: TestServer;
  let replica: TestServer | undefined;
  let callers: Caller[];
  let network = "";
  let ip = "";

  beforeAll(async () => {
    if (!run) return;
    server = await startDialectServer(dialect);
    if (dialect === "postgres")
      replica = await startTestServer({ databaseUrl: server.ctx.config.databaseUrl });
    const owner = await projectOwner(server, "racer");
    callers = [owner, await sameCallerOn(replica ?? server, owner)];
    const admin = await operator(server, "race-admin");
    await admin.client(AdminPartitionService).create({ id: "race-p" });
    await admin.client(AdminNetworkService).create({
      id: "race-super",
      type: NetworkType.SUPER,
      partition: "race-p",
      prefixes: ["10.40.0.0/20"],
      defaultChildPrefixLength: { ipv4: 24 },
    });
    const child = await owner
      .client(NetworkService)
      .create({ project: owner.project, parentNetworkId: "race-super" });
    network = child.network!.id;
    ip = (await owner.client(IPService).create({ project: owner.project, network })).ip!.id;
  });
  afterAll(async () => {
    await replica?.close();
    await server?.close();
  });

  const resources: [string, Updater][] = [
    [
      "ProjectService/Update",
      async (c, generation, labels) =>
        (await c.client(ProjectService).update({ project: c.project, updateMeta: { generation }, labels }))
          .project?.meta,
    ],
    [
      "TenantService/Update",
      async (c, generation, labels) =>
        (await c.client(TenantService).update({ tenant: c.userId, updateMeta: { generation }, labels }))
          .tenant?.meta,
    ],
    [
      "NetworkService/Update",
      async (c, generation, labels) =>
        (
          await c
            .client(NetworkService)
            .update({ project: c.project, id: network, updateMeta: { generation }, labels })
        ).network?.meta,
    ],
    [
      "IPService/Update",
      async (c, generation, labels) =>
        (await c.client(IPService).update({ project: c.project, id: ip, updateMeta: { generation }, labels }))
          .ip?.meta,
    ],
  ];

  it.runIf(run).each(resources)(
    "%s: without a generation every writer wins, with one only the first",
    async (_name, update) => {
      const start = (await update(callers[0]!, 0n, {}))!.generation;
      // Generation 0: all overlapping writers succeed, and none loses another's label.
      const blind = await Promise.all(
        Array.from({ length: WRITERS }, (_, i) =>
          codeOf(update(callers[i % callers.length]!, 0n, { update: { [`writer-${i}`]: "yes" } })),
        ),
      );
      expect(blind).toEqual(Array(WRITERS).fill("ok"));
      const after = (await update(callers[0]!, 0n, {}))!;
      expect(after.generation).toBe(start + BigInt(WRITERS) + 1n);
      for (let i = 0; i < WRITERS; i++) expect(after.labels[`writer-${i}`]).toBe("yes");
      // The generation everyone read: exactly one write, the others see it changed.
      const named = await Promise.all(
        Array.from({ length: WRITERS }, (_, i) =>
          codeOf(update(callers[i % callers.length]!, after.generation, { update: { named: String(i) } })),
        ),
      );
      expect(named.filter((c) => c === "ok")).toHaveLength(1);
      expect(named.filter((c) => c === Code.FailedPrecondition)).toHaveLength(WRITERS - 1);
      expect((await update(callers[0]!, 0n, {}))!.generation).toBe(after.generation + 2n);
    },
  );
});
