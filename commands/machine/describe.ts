import { Args } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { projectFlag } from "../../src/cli/flags.js";
import type { Detail } from "../../src/cli/output/printer.js";
import { projectOf } from "../../src/cli/resources/common.js";
import { machineDetail } from "../../src/cli/resources/machine-detail.js";
import { type Machine, MachineService } from "../../src/gen/metalstack/api/v2/machine_pb.js";

/** MachineDescribe shows one machine: allocation, status, power/boot/LED and its newest events (-o yaml: all fields). */
export default class MachineDescribe extends MetalCommand<Machine> {
  static override summary = "Show one machine.";
  static override aliases = ["machine get"];
  static override args = { id: Args.string({ description: "Machine ID.", required: true }) };
  static override flags = { ...projectFlag };
  static override examples = ["<%= config.bin %> machine describe 0a1b2c3d-… -o yaml"];

  async run(): Promise<Machine> {
    const { args } = await this.parse(MachineDescribe);
    const res = await this.deps.client(MachineService).get({ project: projectOf(this.deps), uuid: args.id });
    return res.machine!;
  }

  protected override present(m: Machine): Detail {
    return machineDetail(m);
  }
}
