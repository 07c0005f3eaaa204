import { Args } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { projectFlag } from "../../src/cli/flags.js";
import { projectOf } from "../../src/cli/resources/common.js";
import { MachineService } from "../../src/gen/metalstack/api/v2/machine_pb.js";

/** MachineIdentify switches a machine's chassis identification LED on or off. */
export default class MachineIdentify extends MetalCommand<void> {
  static override summary = "Switch a machine's identification LED on or off.";
  static override args = {
    state: Args.string({ description: "LED state.", options: ["on", "off"], required: true }),
    id: Args.string({ description: "Machine ID.", required: true }),
  };
  static override flags = { ...projectFlag };

  async run(): Promise<void> {
    const { args } = await this.parse(MachineIdentify);
    await this.deps
      .client(MachineService)
      .identify({ project: projectOf(this.deps), uuid: args.id, on: args.state === "on" });
    this.note(`Identification LED of machine ${args.id} switched ${args.state}.`);
  }
}
