import { randomUUID } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import { sql } from "kysely";
import type { MachineServiceCreateRequest } from "../../gen/metalstack/api/v2/machine_pb.js";
import { TaskKind } from "../../gen/metalstack/infra/v2/agent_pb.js";
import type { AppContext } from "../context.js";
import type { MachineRow } from "../store/machine-schema.js";
import type { Trx } from "../tenancy/trx.js";
import { allocatable } from "./allocatable.js";
import { acquireMachineIps, planAllocationNetworks } from "./allocation-networks.js";
import { requireAllocationCatalog } from "./catalog-refs.js";
import type { AllocationJson } from "./machine-view.js";
import { enqueueTask } from "./tasks.js";
import { validateAllocationFields } from "./validate.js";

/**
 * allocateMachine gives the project a free, alive, waiting machine of the requested size in the
 * partition, preferring the rack with the fewest machines of that project, takes its IPs and queues
 * the install. Everything happens in one transaction, so concurrent creates never share a machine
 * and a failed IP allocation leaves the machine free.
 */
export async function allocateMachine(
  ctx: AppContext,
  createdBy: string,
  req: MachineServiceCreateRequest,
  options: AllocationOptions = {},
): Promise<MachineRow> {
  const fields = validateAllocationFields(req);
  const catalog = await (options.resolveCatalog ?? requireAllocationCatalog)(ctx, req);
  const plan = await planAllocationNetworks(ctx, req.project, req.partition, req.networks, req.ips);
  const now = ctx.now();
  const allocationId = randomUUID();
  const row = await ctx.db.kysely.transaction().execute(async (trx) => {
    const machineId = await claimFreeMachine(
      ctx,
      trx,
      req,
      { name: fields.name, hostname: fields.hostname, image: catalog.image, allocationId },
      now,
    );
    const networks = await acquireMachineIps(ctx, trx, plan, machineId, req.project);
    const alloc: AllocationJson = {
      description: req.description,
      filesystemLayout: catalog.filesystemLayout,
      networks,
      sshPublicKeys: fields.sshPublicKeys,
      userdata: req.userdata,
      createdAt: now.toISOString(),
      createdBy,
    };
    const updated = await trx
      .updateTable("machines")
      .set({ allocation: JSON.stringify(alloc) })
      .where("id", "=", machineId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await enqueueTask(
      trx,
      {
        machineId,
        partition: req.partition,
        kind: TaskKind.INSTALL,
        payload: {
          image: catalog.image,
          hostname: fields.hostname,
          filesystemLayout: catalog.filesystemLayout,
        },
      },
      now,
    );
    await options.inTransaction?.(trx, updated);
    return updated;
  });
  ctx.log.info("machine allocated", {
    machine: row.id,
    project: req.project,
    size: req.size,
    rack: row.rack,
  });
  ctx.machineEvents.notify(row.id);
  return row;
}

/** AllocationOptions let a special kind of machine (a firewall) check its image and store its own rows. */
export interface AllocationOptions {
  /** resolveCatalog replaces the machine-image check; it returns the image and filesystem layout ids. */
  resolveCatalog?: (
    ctx: AppContext,
    req: MachineServiceCreateRequest,
  ) => Promise<{ image: string; filesystemLayout: string }>;
  /** inTransaction runs inside the allocating transaction after the machine was claimed. */
  inTransaction?: (trx: Trx, row: MachineRow) => Promise<void>;
}

/** ClaimedFields are the allocation fields written when a free machine is claimed. */
interface ClaimedFields {
  name: string;
  hostname: string;
  image: string;
  allocationId: string;
}

/**
 * claimFreeMachine picks the free, alive, waiting machine without open tasks in the rack with the
 * fewest machines of the project and claims it with a conditional update (row-locked with SKIP
 * LOCKED on PostgreSQL; SQLite transactions are serial). ResourceExhausted when none is left.
 */
async function claimFreeMachine(
  ctx: AppContext,
  trx: Trx,
  req: MachineServiceCreateRequest,
  claimed: ClaimedFields,
  now: Date,
): Promise<string> {
  // A conditional update guards against a concurrent claim that slipped past the row lock; retry then.
  for (let attempt = 0; attempt < 5; attempt++) {
    const candidate = await trx
      .selectFrom("machines as m")
      .select("m.id")
      .where("m.partition", "=", req.partition)
      .where("m.size", "=", req.size)
      .where((eb) => allocatable(eb, now))
      .orderBy(sql`(select count(*) from machines p where p.project = ${req.project} and p.rack = m.rack)`)
      .orderBy("m.rack")
      .orderBy("m.id")
      .limit(1)
      .$if(ctx.db.dialect === "postgres", (q) => q.forUpdate().skipLocked())
      .executeTakeFirst();
    if (!candidate) {
      throw new ConnectError(
        `no free machine of size ${req.size} in partition ${req.partition}; try another size or partition, or ask an operator for more machines`,
        Code.ResourceExhausted,
      );
    }
    const result = await trx
      .updateTable("machines")
      .set((eb) => ({
        project: req.project,
        allocation_id: claimed.allocationId,
        name: claimed.name,
        hostname: claimed.hostname,
        image: claimed.image,
        labels: JSON.stringify(req.labels),
        generation: eb("generation", "+", 1),
        updated_at: now.toISOString(),
      }))
      .where("id", "=", candidate.id)
      .where("project", "is", null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 1n) return candidate.id;
  }
  throw new ConnectError(
    `could not claim a machine of size ${req.size} in partition ${req.partition} under contention; try again`,
    Code.Aborted,
  );
}
