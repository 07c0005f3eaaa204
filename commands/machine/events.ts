import { Args } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { projectFlag } from "../../src/cli/flags.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { projectOf } from "../../src/cli/resources/common.js";
import { machineEventView } from "../../src/cli/resources/machine-operations.js";
import { type MachineProvisioningEvent, MachineService } from "../../src/gen/metalstack/api/v2/machine_pb.js";

/** MachineEvents lists the provisioning events of a machine's current allocation, oldest first. */
export default class MachineEvents extends MetalCommand<MachineProvisioningEvent[]> {
  static override summary = "List a machine's provisioning events (time, event, message), oldest first.";
  static override args = { id: Args.string({ description: "Machine ID.", required: true }) };
  static override flags = { ...projectFlag };

  async run(): Promise<MachineProvisioningEvent[]> {
    const { args } = await this.parse(MachineEvents);
    const res = await this.deps
      .client(MachineService)
      .events({ project: projectOf(this.deps), uuid: args.id });
    return res.events;
  }

  protected override present(events: MachineProvisioningEvent[]): Printable<MachineProvisioningEvent> {
    return { view: machineEventView, items: events, list: true };
  }
}
