import { Code, ConnectError } from "@connectrpc/connect";
import { MachineState } from "../../gen/metalstack/api/v2/machine_pb.js";
import type { AppContext } from "../context.js";
import type { MachineRow } from "../store/machine-schema.js";
import { getMachine } from "./machine-queries.js";

const MAX_REASON = 256;

/**
 * setMachineState is the operator's decision on a machine: reserved (allocation skips it) or locked
 * (no delete, no reinstall) with a reason, or available again (the reason is cleared).
 */
export async function setMachineState(
  ctx: AppContext,
  id: string,
  state: MachineState,
  description: string,
  operator: string,
): Promise<MachineRow> {
  if (![MachineState.AVAILABLE, MachineState.RESERVED, MachineState.LOCKED].includes(state)) {
    throw new ConnectError("state: must be AVAILABLE, RESERVED or LOCKED", Code.InvalidArgument);
  }
  const reason = description.trim();
  if (state !== MachineState.AVAILABLE && !reason) {
    throw new ConnectError(
      "description: give the reason for reserving or locking the machine, e.g. --reason 'disk replacement'",
      Code.InvalidArgument,
    );
  }
  if (reason.length > MAX_REASON) {
    throw new ConnectError(`description: at most ${MAX_REASON} characters`, Code.InvalidArgument);
  }
  const current = await getMachine(ctx.db.kysely, id);
  const row = await ctx.db.kysely
    .updateTable("machines")
    .set((eb) => ({
      state,
      state_description: state === MachineState.AVAILABLE ? "" : reason,
      generation: eb("generation", "+", 1),
      updated_at: ctx.now().toISOString(),
    }))
    .where("id", "=", current.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  ctx.log.info("machine state set", {
    machine: row.id,
    state: MachineState[state],
    reason: row.state_description,
    by: operator,
  });
  ctx.machineEvents.notify(row.id);
  return row;
}
