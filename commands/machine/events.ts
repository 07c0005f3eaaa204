import { completionsOf } from "../../src/cli/completion/source.js";
import { projectFlag, refArg } from "../../src/cli/flags.js";
import { machine } from "../../src/cli/resources/machine.js";
import { machineEventView } from "../../src/cli/resources/machine-operations.js";
import { ResourceCommand } from "../../src/cli/verbs/resource-command.js";
import {
  type Machine,
  type MachineProvisioningEvent,
  MachineService,
} from "../../src/gen/metalstack/api/v2/machine_pb.js";

/** MachineEvents lists the provisioning events of a machine's current allocation, oldest first. */
export default class MachineEvents extends ResourceCommand<typeof MachineEvents, Machine> {
  static override summary = "List a machine's provisioning events (time, event, message), oldest first.";
  static override args = { id: refArg(machine) };
  static override flags = { ...projectFlag };
  static override completion = completionsOf(this);
  protected override readonly resource = machine;

  async run(): Promise<MachineProvisioningEvent[]> {
    const res = await this.deps
      .client(MachineService)
      .events({ project: await this.scopeProject(), uuid: await this.itemId() });
    this.printList(machineEventView, res.events);
    return res.events;
  }
}
