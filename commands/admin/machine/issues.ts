import { Flags } from "@oclif/core";
import { completeFrom, completionsOf } from "../../../src/cli/completion/source.js";
import { refArg } from "../../../src/cli/flags.js";
import { adminMachine } from "../../../src/cli/resources/admin-machine.js";
import { machineIssueView } from "../../../src/cli/resources/machine-operations.js";
import { partition } from "../../../src/cli/resources/partition.js";
import { ResourceCommand } from "../../../src/cli/verbs/resource-command.js";
import { type MachineIssue, MachineService } from "../../../src/gen/metalstack/admin/v2/machine_pb.js";
import type { Machine } from "../../../src/gen/metalstack/api/v2/machine_pb.js";

/** AdminMachineIssues lists machines with known problems, or reads the problems of one machine. */
export default class AdminMachineIssues extends ResourceCommand<typeof AdminMachineIssues, Machine> {
  static override summary =
    "List machine issues: no recent event, crash loop, failed reclaim, missing BMC address.";
  static override args = {
    id: refArg(adminMachine, { description: "Only this machine's issues.", optional: true }),
  };
  static override flags = {
    partition: Flags.string({ summary: "Only machines of this partition.", ...completeFrom(partition.ref) }),
  };
  static override completion = completionsOf(this);
  protected override readonly resource = adminMachine;

  async run(): Promise<MachineIssue[]> {
    const uuid = this.args.id ? await this.itemId() : "";
    const res = await this.deps
      .client(MachineService)
      .issues({ partition: this.flags.partition ?? "", uuid });
    this.printList(machineIssueView, res.issues);
    return res.issues;
  }
}
