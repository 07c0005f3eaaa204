import { completionsOf } from "../../../src/cli/completion/source.js";
import { refArg } from "../../../src/cli/flags.js";
import { adminMachine } from "../../../src/cli/resources/admin-machine.js";
import { machineDetail } from "../../../src/cli/resources/machine-detail.js";
import { ResourceCommand } from "../../../src/cli/verbs/resource-command.js";
import { MachineService } from "../../../src/gen/metalstack/admin/v2/machine_pb.js";
import type { Machine } from "../../../src/gen/metalstack/api/v2/machine_pb.js";

/** AdminMachineDescribe shows any machine, free or allocated, with its BMC address, issues and event history. */
export default class AdminMachineDescribe extends ResourceCommand<typeof AdminMachineDescribe, Machine> {
  static override summary = "Show any machine with its BMC address (operators; credentials are never shown).";
  static override aliases = ["admin machine get"];
  static override args = { id: refArg(adminMachine) };
  static override completion = completionsOf(this);
  protected override readonly resource = adminMachine;

  async run(): Promise<Machine> {
    const uuid = await this.itemId();
    const client = this.deps.client(MachineService);
    const [res, { issues }] = await Promise.all([client.get({ uuid }), client.issues({ uuid })]);
    this.print(machineDetail(res.machine!, { bmcAddress: res.bmc?.address ?? "", issues }));
    return res.machine!;
  }
}
