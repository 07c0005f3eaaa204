import { Args } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { projectFlag } from "../../src/cli/flags.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { confirmDestructive, projectOf, yesFlag } from "../../src/cli/resources/common.js";
import { machineView } from "../../src/cli/resources/machine.js";
import { type Machine, MachineService } from "../../src/gen/metalstack/api/v2/machine_pb.js";

/** MachineDelete frees a machine after a confirmation (or --yes); its ephemeral IPs are released. */
export default class MachineDelete extends MetalCommand<Machine> {
  static override summary = "Free a machine (asks for confirmation unless --yes).";
  static override aliases = ["machine rm"];
  static override args = { id: Args.string({ description: "Machine ID.", required: true }) };
  static override flags = { ...projectFlag, ...yesFlag };

  async run(): Promise<Machine> {
    const { args, flags } = await this.parse(MachineDelete);
    const project = projectOf(this.deps);
    await confirmDestructive(this.deps, `free machine ${args.id} in project ${project}`, flags.yes);
    const res = await this.deps.client(MachineService).delete({ project, uuid: args.id });
    this.note(`Freed machine ${args.id}.`);
    return res.machine!;
  }

  protected override present(m: Machine): Printable<Machine> {
    return { view: machineView, items: [m], list: false };
  }
}
