import { Flags } from "@oclif/core";
import { completionsOf } from "../../../src/cli/completion/source.js";
import { refArg } from "../../../src/cli/flags.js";
import { adminMachine } from "../../../src/cli/resources/admin-machine.js";
import { ResourceCommand } from "../../../src/cli/verbs/resource-command.js";
import { MachineService } from "../../../src/gen/metalstack/admin/v2/machine_pb.js";
import { type Machine, MachineState } from "../../../src/gen/metalstack/api/v2/machine_pb.js";

/** AdminMachineReserve keeps a machine out of allocation (with a reason), or releases it with --remove. */
export default class AdminMachineReserve extends ResourceCommand<typeof AdminMachineReserve, Machine> {
  static override summary = "Reserve a machine so allocation skips it (--remove makes it available again).";
  static override args = { id: refArg(adminMachine) };
  static override flags = {
    reason: Flags.string({ summary: "Why the machine is reserved (required unless --remove)." }),
    remove: Flags.boolean({ summary: "Remove the reservation." }),
  };
  static override completion = completionsOf(this);
  protected override readonly resource = adminMachine;

  async run(): Promise<Machine> {
    const { flags } = this;
    const res = await this.deps.client(MachineService).setState({
      uuid: await this.itemId(),
      state: flags.remove ? MachineState.AVAILABLE : MachineState.RESERVED,
      description: flags.reason ?? "",
    });
    this.printItem(adminMachine.view, res.machine!);
    return res.machine!;
  }
}
