import { Args, Flags } from "@oclif/core";
import { MetalCommand } from "../../../src/cli/base-command.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { machineView } from "../../../src/cli/resources/machine.js";
import { MachineService } from "../../../src/gen/metalstack/admin/v2/machine_pb.js";
import { type Machine, MachineState } from "../../../src/gen/metalstack/api/v2/machine_pb.js";

/** AdminMachineLock locks a machine with a reason: it can be neither deleted nor reinstalled until unlocked. */
export default class AdminMachineLock extends MetalCommand<Machine> {
  static override summary = "Lock a machine: no delete, no reinstall until `admin machine unlock`.";
  static override args = { id: Args.string({ description: "Machine ID.", required: true }) };
  static override flags = {
    reason: Flags.string({ summary: "Why the machine is locked.", required: true }),
  };

  async run(): Promise<Machine> {
    const { args, flags } = await this.parse(AdminMachineLock);
    const res = await this.deps
      .client(MachineService)
      .setState({ uuid: args.id, state: MachineState.LOCKED, description: flags.reason });
    return res.machine!;
  }

  protected override present(m: Machine): Printable<Machine> {
    return { view: machineView, items: [m], list: false };
  }
}
