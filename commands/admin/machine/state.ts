import { Args, Flags } from "@oclif/core";
import { completionsOf } from "../../../src/cli/completion/source.js";
import { refArg } from "../../../src/cli/flags.js";
import { adminMachine } from "../../../src/cli/resources/admin-machine.js";
import { enumKeys, parseEnum } from "../../../src/cli/resources/common.js";
import { ResourceCommand } from "../../../src/cli/verbs/resource-command.js";
import { MachineService } from "../../../src/gen/metalstack/admin/v2/machine_pb.js";
import { type Machine, MachineStateSchema } from "../../../src/gen/metalstack/api/v2/machine_pb.js";

/**
 * AdminMachineState shows a machine's operator state, or sets it: available, reserved (allocation
 * skips it) or locked (no delete, no reinstall); reserved and locked need a reason.
 */
export default class AdminMachineState extends ResourceCommand<typeof AdminMachineState, Machine> {
  static override summary = "Show or set a machine's state: available, reserved or locked (with --reason).";
  static override args = {
    id: refArg(adminMachine),
    state: Args.string({
      description: "New state; omit it to show the current one.",
      options: enumKeys(MachineStateSchema),
    }),
  };
  static override flags = {
    reason: Flags.string({ summary: "Why the machine is reserved or locked (required for those)." }),
  };
  static override examples = [
    "<%= config.bin %> admin machine state 0a1b2c3d-…",
    "<%= config.bin %> admin machine state 0a1b2c3d-… locked --reason 'disk replacement'",
    "<%= config.bin %> admin machine state 0a1b2c3d-… available",
  ];
  static override completion = completionsOf(this);
  protected override readonly resource = adminMachine;

  async run(): Promise<Machine> {
    const uuid = await this.itemId();
    const { state } = this.args;
    const machine = state
      ? (
          await this.deps.client(MachineService).setState({
            uuid,
            state: parseEnum(MachineStateSchema, state, "STATE"),
            description: this.flags.reason ?? "",
          })
        ).machine!
      : await adminMachine.get(this.deps, "", uuid);
    this.printItem(adminMachine.view, machine);
    return machine;
  }
}
