import {
  MachineBootDevice,
  MachineLedState,
  MachinePowerState,
} from "../../gen/metalstack/api/v2/machine_pb.js";
import { TaskKind } from "../../gen/metalstack/infra/v2/agent_pb.js";
import type { AppContext } from "../context.js";
import type { MachineRow } from "../store/machine-schema.js";

type ManagementChange = Partial<Pick<MachineRow, "power_state" | "next_boot" | "led_state">>;

/** Each task kind the agent confirms changes one part of the management state. */
const CONFIRMED: Partial<Record<TaskKind, ManagementChange>> = {
  [TaskKind.POWER_ON]: { power_state: MachinePowerState.ON },
  [TaskKind.POWER_OFF]: { power_state: MachinePowerState.OFF },
  [TaskKind.POWER_RESET]: { power_state: MachinePowerState.ON },
  [TaskKind.POWER_CYCLE]: { power_state: MachinePowerState.ON },
  [TaskKind.BOOT_PXE]: { next_boot: MachineBootDevice.PXE },
  [TaskKind.BOOT_DISK]: { next_boot: MachineBootDevice.DISK },
  [TaskKind.BOOT_BIOS]: { next_boot: MachineBootDevice.BIOS },
  [TaskKind.IDENTIFY_ON]: { led_state: MachineLedState.ON },
  [TaskKind.IDENTIFY_OFF]: { led_state: MachineLedState.OFF },
};

/**
 * confirmManagementTask records what a management task the agent completed without error means
 * for the machine (power, next boot device, LED) and wakes its watchers. Other kinds change nothing.
 */
export async function confirmManagementTask(
  ctx: AppContext,
  machineId: string,
  kind: TaskKind,
): Promise<void> {
  const change = CONFIRMED[kind];
  if (!change) return;
  await ctx.db.kysely
    .updateTable("machines")
    .set({ ...change, management_updated_at: ctx.now().toISOString() })
    .where("id", "=", machineId)
    .execute();
  ctx.machineEvents.notify(machineId);
}
