import { Code, ConnectError } from "@connectrpc/connect";
import type { MachineHardware } from "../../gen/metalstack/api/v2/machine_pb.js";
import { type Size, SizeConstraintType } from "../../gen/metalstack/api/v2/size_pb.js";

const MEASURES: Partial<Record<SizeConstraintType, { name: string; of: (hw: MachineHardware) => bigint }>> = {
  [SizeConstraintType.CORES]: { name: "cpu cores", of: (hw) => BigInt(hw.cpuCores) },
  [SizeConstraintType.MEMORY]: { name: "memory bytes", of: (hw) => hw.memory },
  [SizeConstraintType.STORAGE]: {
    name: "disk bytes",
    of: (hw) => hw.disks.reduce((sum, d) => sum + d.size, 0n),
  },
};

/**
 * requireHardwareFitsSize checks reported hardware against the size's core, memory and storage
 * constraints (a max of 0 means no upper bound), so a machine cannot be registered under a size it
 * does not have. GPU constraints are not checked: the hardware summary carries no GPUs.
 */
export function requireHardwareFitsSize(hw: MachineHardware, size: Size): void {
  for (const c of size.constraints) {
    const measure = MEASURES[c.type];
    if (!measure) continue;
    const value = measure.of(hw);
    if (value < c.min || (c.max > 0n && value > c.max)) {
      throw new ConnectError(
        `hardware: ${value} ${measure.name} do not fit size ${size.id} (${c.min}-${c.max > 0n ? c.max : "any"}); register the machine with the size it has`,
        Code.InvalidArgument,
      );
    }
  }
}
