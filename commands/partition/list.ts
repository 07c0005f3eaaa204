import { MetalCommand } from "../../src/cli/base-command.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { remember } from "../../src/cli/resources/common.js";
import { partitionView } from "../../src/cli/resources/partition.js";
import { type Partition, PartitionService } from "../../src/gen/metalstack/api/v2/partition_pb.js";

/** PartitionList list the partitions (failure domains). */
export default class PartitionList extends MetalCommand<Partition[]> {
  static override summary = "List the partitions (failure domains).";
  static override aliases = ["partition ls"];
  static override flags = {};

  async run(): Promise<Partition[]> {
    await this.parse(PartitionList);
    const res = await this.deps.client(PartitionService).list({});
    remember(
      this.deps,
      "partition",
      res.partitions.map((p) => ({ value: p.id, description: p.description })),
    );
    return res.partitions;
  }

  protected override present(items: Partition[]): Printable<Partition> {
    return { view: partitionView, items, list: true };
  }
}
