import { Code, ConnectError } from "@connectrpc/connect";
import { MachineBootDevice, MachinePowerAction } from "../../gen/metalstack/api/v2/machine_pb.js";
import { TaskKind } from "../../gen/metalstack/infra/v2/agent_pb.js";
import type { AppContext } from "../context.js";
import { getProjectMachine } from "./machine-queries.js";
import { enqueueTask } from "./tasks.js";

const POWER_TASKS: Partial<Record<MachinePowerAction, TaskKind>> = {
  [MachinePowerAction.ON]: TaskKind.POWER_ON,
  [MachinePowerAction.OFF]: TaskKind.POWER_OFF,
  [MachinePowerAction.RESET]: TaskKind.POWER_RESET,
  [MachinePowerAction.CYCLE]: TaskKind.POWER_CYCLE,
};

const BOOT_TASKS: Partial<Record<MachineBootDevice, TaskKind>> = {
  [MachineBootDevice.PXE]: TaskKind.BOOT_PXE,
  [MachineBootDevice.DISK]: TaskKind.BOOT_DISK,
  [MachineBootDevice.BIOS]: TaskKind.BOOT_BIOS,
};

/** powerTaskKind maps a power action to its agent task, or InvalidArgument for an unknown action. */
export function powerTaskKind(action: MachinePowerAction): TaskKind {
  const kind = POWER_TASKS[action];
  if (kind === undefined) {
    throw new ConnectError("action: must be one of ON, OFF, RESET, CYCLE", Code.InvalidArgument);
  }
  return kind;
}

/** bootTaskKind maps a boot device to its agent task, or InvalidArgument for an unknown device. */
export function bootTaskKind(device: MachineBootDevice): TaskKind {
  const kind = BOOT_TASKS[device];
  if (kind === undefined) {
    throw new ConnectError("device: must be one of PXE, DISK, BIOS", Code.InvalidArgument);
  }
  return kind;
}

/**
 * queueMachineCommand queues a management command (power, boot device, LED) for the agent of a
 * machine or firewall allocated in the project; another project's machine is NotFound.
 */
export async function queueMachineCommand(
  ctx: AppContext,
  project: string,
  id: string,
  kind: TaskKind,
): Promise<void> {
  const row = await getProjectMachine(ctx.db.kysely, project, id, { firewalls: "include" });
  await enqueueTask(
    ctx.db.kysely,
    { machineId: row.id, partition: row.partition, kind, payload: {} },
    ctx.now(),
  );
  ctx.log.info("machine command queued", { machine: row.id, project, task: TaskKind[kind] });
}
