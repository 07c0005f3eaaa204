import { Flags } from "@oclif/core";
import { completionsOf } from "../../../src/cli/completion/source.js";
import { refArg } from "../../../src/cli/flags.js";
import { adminMachine } from "../../../src/cli/resources/admin-machine.js";
import { ResourceCommand } from "../../../src/cli/verbs/resource-command.js";
import { MachineService } from "../../../src/gen/metalstack/admin/v2/machine_pb.js";
import { type Machine, MachineState } from "../../../src/gen/metalstack/api/v2/machine_pb.js";

/** AdminMachineLock locks a machine with a reason: it can be neither deleted nor reinstalled until unlocked. */
export default class AdminMachineLock extends ResourceCommand<typeof AdminMachineLock, Machine> {
  static override summary = "Lock a machine: no delete, no reinstall until `admin machine unlock`.";
  static override args = { id: refArg(adminMachine) };
  static override flags = {
    reason: Flags.string({ summary: "Why the machine is locked.", required: true }),
  };
  static override completion = completionsOf(this);
  protected override readonly resource = adminMachine;

  async run(): Promise<Machine> {
    const res = await this.deps
      .client(MachineService)
      .setState({ uuid: await this.itemId(), state: MachineState.LOCKED, description: this.flags.reason });
    this.printItem(adminMachine.view, res.machine!);
    return res.machine!;
  }
}
