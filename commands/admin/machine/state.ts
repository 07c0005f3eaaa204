import { Args, Flags } from "@oclif/core";
import { MetalCommand } from "../../../src/cli/base-command.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { enumKeys, parseEnum } from "../../../src/cli/resources/common.js";
import { machineView } from "../../../src/cli/resources/machine.js";
import { MachineService } from "../../../src/gen/metalstack/admin/v2/machine_pb.js";
import { type Machine, MachineStateSchema } from "../../../src/gen/metalstack/api/v2/machine_pb.js";

/**
 * AdminMachineState shows a machine's operator state, or sets it: available, reserved (allocation
 * skips it) or locked (no delete, no reinstall); reserved and locked need a reason.
 */
export default class AdminMachineState extends MetalCommand<Machine> {
  static override summary = "Show or set a machine's state: available, reserved or locked (with --reason).";
  static override args = {
    id: Args.string({ description: "Machine ID.", required: true }),
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

  async run(): Promise<Machine> {
    const { args, flags } = await this.parse(AdminMachineState);
    const client = this.deps.client(MachineService);
    if (!args.state) return (await client.get({ uuid: args.id })).machine!;
    const res = await client.setState({
      uuid: args.id,
      state: parseEnum(MachineStateSchema, args.state, "STATE"),
      description: flags.reason ?? "",
    });
    return res.machine!;
  }

  protected override present(m: Machine): Printable<Machine> {
    return { view: machineView, items: [m], list: false };
  }
}
