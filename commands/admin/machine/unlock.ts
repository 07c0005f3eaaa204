import { Args } from "@oclif/core";
import { MetalCommand } from "../../../src/cli/base-command.js";
import { usageError } from "../../../src/cli/errors.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { machineView } from "../../../src/cli/resources/machine.js";
import { MachineService } from "../../../src/gen/metalstack/admin/v2/machine_pb.js";
import { type Machine, MachineState } from "../../../src/gen/metalstack/api/v2/machine_pb.js";

/** AdminMachineUnlock makes a locked machine available again. */
export default class AdminMachineUnlock extends MetalCommand<Machine> {
  static override summary = "Unlock a locked machine (it becomes available again).";
  static override args = { id: Args.string({ description: "Machine ID.", required: true }) };

  async run(): Promise<Machine> {
    const { args } = await this.parse(AdminMachineUnlock);
    const client = this.deps.client(MachineService);
    const { machine } = await client.get({ uuid: args.id });
    // Unlocking must not silently lift a reservation, which has its own command.
    if (machine?.state !== MachineState.LOCKED) {
      throw usageError(
        `machine ${args.id} is not locked`,
        "a reservation is lifted with `admin machine reserve --remove`",
      );
    }
    const res = await client.setState({ uuid: args.id, state: MachineState.AVAILABLE, description: "" });
    return res.machine!;
  }

  protected override present(m: Machine): Printable<Machine> {
    return { view: machineView, items: [m], list: false };
  }
}
