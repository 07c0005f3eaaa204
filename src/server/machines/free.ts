import { Code, ConnectError } from "@connectrpc/connect";
import type { Machine } from "../../gen/metalstack/api/v2/machine_pb.js";
import { TaskKind } from "../../gen/metalstack/infra/v2/agent_pb.js";
import type { AppContext } from "../context.js";
import { releaseMachineIps } from "./allocation-networks.js";
import { listEvents } from "./events.js";
import { refuseIfLocked } from "./lock-guard.js";
import { machineToProto } from "./machine-view.js";
import { dropOpenTasks, enqueueTask } from "./tasks.js";

/**
 * freeMachine ends a project's allocation: it releases the machine's ephemeral IPs, detaches its
 * static ones, drops an install that has not started and queues the reclaim that brings the machine
 * back to the waiting pool. It returns the machine as the project last saw it.
 */
export async function freeMachine(ctx: AppContext, project: string, id: string): Promise<Machine> {
  const now = ctx.now();
  const machine = await ctx.db.kysely.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("machines")
      .selectAll()
      .where("project", "=", project)
      .where("id", "=", id.toLowerCase())
      .$if(ctx.db.dialect === "postgres", (q) => q.forUpdate())
      .executeTakeFirst();
    if (!row) throw new ConnectError(`machine ${id} not found in project ${project}`, Code.NotFound);
    refuseIfLocked(row, "deleted");
    const events = await listEvents(trx, row.id, { allocationId: row.allocation_id ?? "" });
    const before = machineToProto(row, events, now);
    await releaseMachineIps(trx, row.id);
    await dropOpenTasks(trx, row.id, [TaskKind.INSTALL]);
    await enqueueTask(
      trx,
      { machineId: row.id, partition: row.partition, kind: TaskKind.RECLAIM, payload: {} },
      now,
    );
    await trx
      .updateTable("machines")
      .set((eb) => ({
        project: null,
        allocation_id: null,
        name: null,
        hostname: null,
        image: null,
        allocation: null,
        labels: "{}",
        generation: eb("generation", "+", 1),
        updated_at: now.toISOString(),
      }))
      .where("id", "=", row.id)
      .execute();
    return before;
  });
  ctx.log.info("machine freed", { machine: machine.uuid, project });
  ctx.machineEvents.notify(machine.uuid);
  return machine;
}
