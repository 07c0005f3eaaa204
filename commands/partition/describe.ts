import { Args } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { partitionView } from "../../src/cli/resources/partition.js";
import { type Partition, PartitionService } from "../../src/gen/metalstack/api/v2/partition_pb.js";

/** PartitionDescribe show one partition. */
export default class PartitionDescribe extends MetalCommand<Partition> {
  static override summary = "Show one partition.";
  static override aliases = ["partition get"];
  static override args = { id: Args.string({ description: "ID.", required: true }) };
  static override flags = {};

  async run(): Promise<Partition> {
    const { args } = await this.parse(PartitionDescribe);
    return (await this.deps.client(PartitionService).get({ id: args.id })).partition!;
  }

  protected override present(item: Partition): Printable<Partition> {
    return { view: partitionView, items: [item], list: false };
  }
}
