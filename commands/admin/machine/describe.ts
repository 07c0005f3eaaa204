import { Args } from "@oclif/core";
import { MetalCommand } from "../../../src/cli/base-command.js";
import type { Detail } from "../../../src/cli/output/printer.js";
import { machineDetail } from "../../../src/cli/resources/machine-detail.js";
import {
  MachineService,
  type MachineServiceGetResponse,
} from "../../../src/gen/metalstack/admin/v2/machine_pb.js";

/** AdminMachineDescribe shows any machine, free or allocated, with its BMC address and whole event history. */
export default class AdminMachineDescribe extends MetalCommand<MachineServiceGetResponse> {
  static override summary = "Show any machine with its BMC address (operators; credentials are never shown).";
  static override aliases = ["admin machine get"];
  static override args = { id: Args.string({ description: "Machine ID.", required: true }) };

  async run(): Promise<MachineServiceGetResponse> {
    const { args } = await this.parse(AdminMachineDescribe);
    return this.deps.client(MachineService).get({ uuid: args.id });
  }

  protected override present(res: MachineServiceGetResponse): Detail {
    return machineDetail(res.machine!, { bmcAddress: res.bmc?.address ?? "" });
  }
}
