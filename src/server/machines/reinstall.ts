import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  MachineServiceCreateRequestSchema,
  type MachineServiceReinstallRequest,
} from "../../gen/metalstack/api/v2/machine_pb.js";
import { TaskKind } from "../../gen/metalstack/infra/v2/agent_pb.js";
import type { AppContext } from "../context.js";
import type { MachineRow } from "../store/machine-schema.js";
import { requireAllocationCatalog } from "./catalog-refs.js";
import { refuseIfLocked } from "./lock-guard.js";
import { getProjectMachine } from "./machine-queries.js";
import { parseAllocation } from "./machine-view.js";
import { dropOpenTasks, enqueueTask } from "./tasks.js";

/**
 * reinstallMachine installs another image on a project's machine: allocation, networks and IPs stay,
 * an install that has not started yet is replaced, and the agent replays the provisioning.
 * A locked machine is refused.
 */
export async function reinstallMachine(
  ctx: AppContext,
  req: MachineServiceReinstallRequest,
): Promise<MachineRow> {
  if (!req.image) {
    throw new ConnectError("image: name the image to install, e.g. ubuntu-24.04", Code.InvalidArgument);
  }
  const current = await getProjectMachine(ctx.db.kysely, req.project, req.uuid);
  refuseIfLocked(current, "reinstalled");
  const catalog = await requireAllocationCatalog(
    ctx,
    create(MachineServiceCreateRequestSchema, {
      project: req.project,
      partition: current.partition,
      size: current.size,
      image: req.image,
      filesystemLayout: req.filesystemLayout,
    }),
  );
  const now = ctx.now();
  const row = await ctx.db.kysely.transaction().execute(async (trx) => {
    const locked = await trx
      .selectFrom("machines")
      .selectAll()
      .where("id", "=", current.id)
      .where("project", "=", req.project)
      .$if(ctx.db.dialect === "postgres", (q) => q.forUpdate())
      .executeTakeFirst();
    const alloc = locked && parseAllocation(locked);
    if (!locked || !alloc) {
      throw new ConnectError(`machine ${req.uuid} not found in project ${req.project}`, Code.NotFound);
    }
    refuseIfLocked(locked, "reinstalled");
    alloc.filesystemLayout = catalog.filesystemLayout;
    const updated = await trx
      .updateTable("machines")
      .set({
        image: catalog.image,
        allocation: JSON.stringify(alloc),
        generation: locked.generation + 1,
        updated_at: now.toISOString(),
      })
      .where("id", "=", locked.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await dropOpenTasks(trx, locked.id, [TaskKind.INSTALL]);
    await enqueueTask(
      trx,
      {
        machineId: locked.id,
        partition: locked.partition,
        kind: TaskKind.INSTALL,
        payload: {
          image: catalog.image,
          hostname: locked.hostname ?? "",
          filesystemLayout: catalog.filesystemLayout,
        },
      },
      now,
    );
    return updated;
  });
  ctx.log.info("machine reinstall queued", { machine: row.id, project: req.project, image: row.image });
  ctx.machineEvents.notify(row.id);
  return row;
}
