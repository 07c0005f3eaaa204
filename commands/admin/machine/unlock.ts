import { completionsOf } from "../../../src/cli/completion/source.js";
import { usageError } from "../../../src/cli/errors.js";
import { refArg } from "../../../src/cli/flags.js";
import { adminMachine } from "../../../src/cli/resources/admin-machine.js";
import { ResourceCommand } from "../../../src/cli/verbs/resource-command.js";
import { MachineService } from "../../../src/gen/metalstack/admin/v2/machine_pb.js";
import { type Machine, MachineState } from "../../../src/gen/metalstack/api/v2/machine_pb.js";

/** AdminMachineUnlock makes a locked machine available again. */
export default class AdminMachineUnlock extends ResourceCommand<typeof AdminMachineUnlock, Machine> {
  static override summary = "Unlock a locked machine (it becomes available again).";
  static override args = { id: refArg(adminMachine) };
  static override completion = completionsOf(this);
  protected override readonly resource = adminMachine;

  async run(): Promise<Machine> {
    const uuid = await this.itemId();
    const current = await adminMachine.get(this.deps, "", uuid);
    // Unlocking must not silently lift a reservation, which has its own command.
    if (current.state !== MachineState.LOCKED) {
      throw usageError(
        `machine ${uuid} is not locked`,
        "a reservation is lifted with `admin machine reserve --remove`",
      );
    }
    const res = await this.deps
      .client(MachineService)
      .setState({ uuid, state: MachineState.AVAILABLE, description: "" });
    this.printItem(adminMachine.view, res.machine!);
    return res.machine!;
  }
}
