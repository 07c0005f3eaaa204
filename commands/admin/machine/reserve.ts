import { Args, Flags } from "@oclif/core";
import { MetalCommand } from "../../../src/cli/base-command.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { machineView } from "../../../src/cli/resources/machine.js";
import { MachineService } from "../../../src/gen/metalstack/admin/v2/machine_pb.js";
import { type Machine, MachineState } from "../../../src/gen/metalstack/api/v2/machine_pb.js";

/** AdminMachineReserve keeps a machine out of allocation (with a reason), or releases it with --remove. */
export default class AdminMachineReserve extends MetalCommand<Machine> {
  static override summary = "Reserve a machine so allocation skips it (--remove makes it available again).";
  static override args = { id: Args.string({ description: "Machine ID.", required: true }) };
  static override flags = {
    reason: Flags.string({ summary: "Why the machine is reserved (required unless --remove)." }),
    remove: Flags.boolean({ summary: "Remove the reservation." }),
  };

  async run(): Promise<Machine> {
    const { args, flags } = await this.parse(AdminMachineReserve);
    const res = await this.deps.client(MachineService).setState({
      uuid: args.id,
      state: flags.remove ? MachineState.AVAILABLE : MachineState.RESERVED,
      description: flags.reason ?? "",
    });
    return res.machine!;
  }

  protected override present(m: Machine): Printable<Machine> {
    return { view: machineView, items: [m], list: false };
  }
}
