import type { Machine } from "../../gen/metalstack/api/v2/machine_pb.js";
import type { AppContext } from "../context.js";
import type { MachineRow } from "../store/machine-schema.js";
import { listEvents } from "./events.js";
import { machineToProto } from "./machine-view.js";

/** projectMachineView converts a project's machine with the events of its current allocation only. */
export async function projectMachineView(ctx: AppContext, row: MachineRow): Promise<Machine> {
  const events = await listEvents(ctx.db.kysely, row.id, { allocationId: row.allocation_id ?? "" });
  return machineToProto(row, events, ctx.now());
}

/** adminMachineView converts a machine with its whole stored event history (operators). */
export async function adminMachineView(ctx: AppContext, row: MachineRow): Promise<Machine> {
  return machineToProto(row, await listEvents(ctx.db.kysely, row.id), ctx.now());
}
