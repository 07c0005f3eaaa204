import { Args, Flags } from "@oclif/core";
import { MetalCommand } from "../../../src/cli/base-command.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { machineIssueView } from "../../../src/cli/resources/machine-operations.js";
import { type MachineIssue, MachineService } from "../../../src/gen/metalstack/admin/v2/machine_pb.js";

/** AdminMachineIssues lists machines with known problems, or reads the problems of one machine. */
export default class AdminMachineIssues extends MetalCommand<MachineIssue[]> {
  static override summary =
    "List machine issues: no recent event, crash loop, failed reclaim, missing BMC address.";
  static override args = { id: Args.string({ description: "Only this machine's issues." }) };
  static override flags = { partition: Flags.string({ summary: "Only machines of this partition." }) };

  async run(): Promise<MachineIssue[]> {
    const { args, flags } = await this.parse(AdminMachineIssues);
    const res = await this.deps
      .client(MachineService)
      .issues({ partition: flags.partition ?? "", uuid: args.id ?? "" });
    return res.issues;
  }

  protected override present(issues: MachineIssue[]): Printable<MachineIssue> {
    return { view: machineIssueView, items: issues, list: true };
  }
}
