import { adminPartition } from "../../../src/cli/resources/admin-partition.js";
import { createFromFileCommand } from "../../../src/cli/verbs/create.js";
import { PartitionServiceCreateRequestSchema } from "../../../src/gen/metalstack/admin/v2/partition_pb.js";

/** admin partition create -f FILE: a global partition from a YAML/JSON file (the create request in the proto JSON mapping). */
export default createFromFileCommand(adminPartition, PartitionServiceCreateRequestSchema, {
  summary: "Create a global partition from a file (operators).",
  examples: ["<%= config.bin %> admin partition create -f partition.yaml"],
});
