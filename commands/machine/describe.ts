import { machine } from "../../src/cli/resources/machine.js";
import { machineDetail, machineReferences } from "../../src/cli/resources/machine-detail.js";
import type { Names, Reference } from "../../src/cli/resources/referenced-names.js";
import { describeCommand } from "../../src/cli/verbs/describe.js";
import type { Machine } from "../../src/gen/metalstack/api/v2/machine_pb.js";

/** MachineDescribe shows one machine: allocation, status, power/boot/LED and its newest events (-o yaml: all fields). */
export default class MachineDescribe extends describeCommand(machine, {
  summary: "Show one machine.",
  aliases: ["machine get"],
  examples: ["<%= config.bin %> machine describe 0a1b2c3d-… -o yaml"],
}) {
  protected override references(m: Machine): Reference[] {
    return machineReferences(m);
  }

  protected override show(m: Machine, names?: Names): void {
    this.print(machineDetail(m, undefined, names));
  }
}
