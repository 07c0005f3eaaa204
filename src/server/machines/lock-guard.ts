import { Code, ConnectError } from "@connectrpc/connect";
import { MachineState } from "../../gen/metalstack/api/v2/machine_pb.js";
import type { MachineRow } from "../store/machine-schema.js";

/**
 * refuseIfLocked throws FailedPrecondition naming the lock reason and how to unlock when an operator
 * locked the machine; `action` words what was refused, e.g. "deleted".
 */
export function refuseIfLocked(row: Pick<MachineRow, "id" | "state" | "state_description">, action: string) {
  if (row.state !== MachineState.LOCKED) return;
  throw new ConnectError(
    `machine ${row.id} is locked (reason: ${row.state_description || "none given"}) and cannot be ${action}; an operator must unlock it first with \`metalctl admin machine unlock ${row.id}\``,
    Code.FailedPrecondition,
  );
}
