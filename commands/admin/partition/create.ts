import { MetalCommand } from "../../../src/cli/base-command.js";
import { usageError } from "../../../src/cli/errors.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { fileFlag, requestFromFile } from "../../../src/cli/resources/common.js";
import { partitionView } from "../../../src/cli/resources/partition.js";
import {
  PartitionService,
  PartitionServiceCreateRequestSchema,
} from "../../../src/gen/metalstack/admin/v2/partition_pb.js";
import type { Partition } from "../../../src/gen/metalstack/api/v2/partition_pb.js";

/** AdminPartitionCreate creates a global partition from a YAML/JSON file (the create request in the proto JSON mapping). */
export default class AdminPartitionCreate extends MetalCommand<Partition> {
  static override summary = "Create a global partition from a file (operators).";
  static override examples = ["<%= config.bin %> admin partition create -f partition.yaml"];
  static override flags = { ...fileFlag };

  async run(): Promise<Partition> {
    const { flags } = await this.parse(AdminPartitionCreate);
    if (!flags.file)
      throw usageError(
        "admin partition create: missing --file",
        "write the partition as YAML, e.g. from describe -o yaml",
      );
    const req = requestFromFile(PartitionServiceCreateRequestSchema, flags.file);
    return (await this.deps.client(PartitionService).create(req)).partition!;
  }

  protected override present(item: Partition): Printable<Partition> {
    return { view: partitionView, items: [item], list: false };
  }
}
