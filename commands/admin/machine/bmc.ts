import { completionsOf } from "../../../src/cli/completion/source.js";
import { refArg } from "../../../src/cli/flags.js";
import { adminMachine } from "../../../src/cli/resources/admin-machine.js";
import { type MachineBmcRow, machineBmcView } from "../../../src/cli/resources/machine-operations.js";
import { ResourceCommand } from "../../../src/cli/verbs/resource-command.js";
import { MachineService } from "../../../src/gen/metalstack/admin/v2/machine_pb.js";
import type { Machine } from "../../../src/gen/metalstack/api/v2/machine_pb.js";

/** AdminMachineBmc shows a machine's management controller (address only; credentials are never returned). */
export default class AdminMachineBmc extends ResourceCommand<typeof AdminMachineBmc, Machine> {
  static override summary = "Show a machine's BMC address (credentials are never shown).";
  static override args = { id: refArg(adminMachine) };
  static override completion = completionsOf(this);
  protected override readonly resource = adminMachine;

  async run(): Promise<MachineBmcRow> {
    const uuid = await this.itemId();
    const res = await this.deps.client(MachineService).get({ uuid });
    const row = {
      uuid: res.machine?.uuid ?? uuid,
      rack: res.machine?.rack ?? "",
      address: res.bmc?.address ?? "",
    };
    this.printItem(machineBmcView, row);
    return row;
  }
}
