import { Args } from "@oclif/core";
import { MetalCommand } from "../../../src/cli/base-command.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { type MachineBmcRow, machineBmcView } from "../../../src/cli/resources/machine-operations.js";
import { MachineService } from "../../../src/gen/metalstack/admin/v2/machine_pb.js";

/** AdminMachineBmc shows a machine's management controller (address only; credentials are never returned). */
export default class AdminMachineBmc extends MetalCommand<MachineBmcRow> {
  static override summary = "Show a machine's BMC address (credentials are never shown).";
  static override args = { id: Args.string({ description: "Machine ID.", required: true }) };

  async run(): Promise<MachineBmcRow> {
    const { args } = await this.parse(AdminMachineBmc);
    const res = await this.deps.client(MachineService).get({ uuid: args.id });
    return {
      uuid: res.machine?.uuid ?? args.id,
      rack: res.machine?.rack ?? "",
      address: res.bmc?.address ?? "",
    };
  }

  protected override present(row: MachineBmcRow): Printable<MachineBmcRow> {
    return { view: machineBmcView, items: [row], list: false };
  }
}
