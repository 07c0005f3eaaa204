import { Args } from "@oclif/core";
import { MetalCommand } from "../../../src/cli/base-command.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { confirmDestructive, yesFlag } from "../../../src/cli/resources/common.js";
import { partitionView } from "../../../src/cli/resources/partition.js";
import { PartitionService } from "../../../src/gen/metalstack/admin/v2/partition_pb.js";
import type { Partition } from "../../../src/gen/metalstack/api/v2/partition_pb.js";

/** AdminPartitionDelete deletes a global partition after a confirmation (or --yes). */
export default class AdminPartitionDelete extends MetalCommand<Partition> {
  static override summary = "Delete a global partition (operators; asks unless --yes).";
  static override aliases = ["admin partition rm"];
  static override args = { id: Args.string({ description: "ID.", required: true }) };
  static override flags = { ...yesFlag };

  async run(): Promise<Partition> {
    const { args, flags } = await this.parse(AdminPartitionDelete);
    await confirmDestructive(this.deps, `delete partition ${args.id}`, flags.yes);
    return (await this.deps.client(PartitionService).delete({ id: args.id })).partition!;
  }

  protected override present(item: Partition): Printable<Partition> {
    return { view: partitionView, items: [item], list: false };
  }
}
