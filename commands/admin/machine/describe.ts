import { Args } from "@oclif/core";
import { MetalCommand } from "../../../src/cli/base-command.js";
import type { Detail } from "../../../src/cli/output/printer.js";
import { machineDetail } from "../../../src/cli/resources/machine-detail.js";
import {
  type MachineIssue,
  MachineService,
  type MachineServiceGetResponse,
} from "../../../src/gen/metalstack/admin/v2/machine_pb.js";

type Described = { res: MachineServiceGetResponse; issues: MachineIssue[] };

/** AdminMachineDescribe shows any machine, free or allocated, with its BMC address, issues and event history. */
export default class AdminMachineDescribe extends MetalCommand<Described> {
  static override summary = "Show any machine with its BMC address (operators; credentials are never shown).";
  static override aliases = ["admin machine get"];
  static override args = { id: Args.string({ description: "Machine ID.", required: true }) };

  async run(): Promise<Described> {
    const { args } = await this.parse(AdminMachineDescribe);
    const client = this.deps.client(MachineService);
    const [res, { issues }] = await Promise.all([
      client.get({ uuid: args.id }),
      client.issues({ uuid: args.id }),
    ]);
    return { res, issues };
  }

  protected override present({ res, issues }: Described): Detail {
    return machineDetail(res.machine!, { bmcAddress: res.bmc?.address ?? "", issues });
  }
}
