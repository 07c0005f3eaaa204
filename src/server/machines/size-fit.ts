import { Code, ConnectError } from "@connectrpc/connect";
import type { MachineHardware } from "../../gen/metalstack/api/v2/machine_pb.js";
import { type Size, SizeConstraintType } from "../../gen/metalstack/api/v2/size_pb.js";

const cores = (hw: MachineHardware) => BigInt(hw.cpuCores);
const memory = (hw: MachineHardware) => hw.memory;
const storage = (hw: MachineHardware) => hw.disks.reduce((sum, d) => sum + d.size, 0n);

const MEASURES: Partial<Record<SizeConstraintType, { name: string; of: (hw: MachineHardware) => bigint }>> = {
  [SizeConstraintType.CORES]: { name: "cpu cores", of: cores },
  [SizeConstraintType.MEMORY]: { name: "memory bytes", of: memory },
  [SizeConstraintType.STORAGE]: { name: "disk bytes", of: storage },
};

/** sizeMisfit names the first constraint of the size the hardware breaks (a max of 0 means no upper bound). */
function sizeMisfit(hw: MachineHardware, size: Size): string | undefined {
  for (const c of size.constraints) {
    const measure = MEASURES[c.type];
    if (!measure) continue;
    const value = measure.of(hw);
    if (value < c.min || (c.max > 0n && value > c.max)) {
      return `${value} ${measure.name} do not fit size ${size.id} (${c.min}-${c.max > 0n ? c.max : "any"})`;
    }
  }
  return undefined;
}

/** hardwareFitsSize tells whether hardware meets the size's core, memory and storage constraints. */
export function hardwareFitsSize(hw: MachineHardware, size: Size): boolean {
  return sizeMisfit(hw, size) === undefined;
}

/** hardwareTotals are the measures sizes constrain, as the hardware reports them. */
export function hardwareTotals(hw: MachineHardware): { cores: bigint; memory: bigint; storage: bigint } {
  return { cores: cores(hw), memory: memory(hw), storage: storage(hw) };
}

/**
 * requireHardwareFitsSize checks reported hardware against the size's core, memory and storage
 * constraints, so a machine cannot be registered under a size it does not have. GPU constraints are
 * not checked: the hardware summary carries no GPUs.
 */
export function requireHardwareFitsSize(hw: MachineHardware, size: Size): void {
  const misfit = sizeMisfit(hw, size);
  if (misfit) {
    throw new ConnectError(
      `hardware: ${misfit}; register the machine with the size it has`,
      Code.InvalidArgument,
    );
  }
}
