import type { Expression, ExpressionBuilder, SqlBool } from "kysely";
import { MachineProvisioningEventType, MachineState } from "../../gen/metalstack/api/v2/machine_pb.js";
import type { MachineRow } from "../store/machine-schema.js";
import type { Database } from "../store/schema.js";
import { ALIVE_WITHIN_MS } from "./machine-view.js";

/** MachineAlias is a query over `machines as m`, the alias `allocatable` refers to. */
export type MachineAlias = ExpressionBuilder<Database & { m: MachineRow }, "m">;

/**
 * allocatable is what a machine `m` must be for a create to take it now: free, available, waiting and
 * heard from within the liveliness window, with no task pending. Allocation and capacity share it, so
 * "free" in a capacity report means exactly what a create would find.
 */
export function allocatable(eb: MachineAlias, now: Date): Expression<SqlBool> {
  const aliveSince = new Date(now.getTime() - ALIVE_WITHIN_MS).toISOString();
  return eb.and([
    eb("m.project", "is", null),
    eb("m.state", "=", MachineState.AVAILABLE),
    eb("m.last_event", "=", MachineProvisioningEventType.WAITING),
    eb("m.last_event_time", ">=", aliveSince),
    eb.not(
      eb.exists(eb.selectFrom("machine_tasks as t").select("t.id").whereRef("t.machine_id", "=", "m.id")),
    ),
  ]);
}
