import { adminSize } from "../../../src/cli/resources/admin-size.js";
import { createFromFileCommand } from "../../../src/cli/verbs/create.js";
import { SizeServiceCreateRequestSchema } from "../../../src/gen/metalstack/admin/v2/size_pb.js";

/** admin size create -f FILE: a global size from a YAML/JSON file (the create request in the proto JSON mapping). */
export default createFromFileCommand(adminSize, SizeServiceCreateRequestSchema, {
  summary: "Create a global size from a file (operators).",
  examples: ["<%= config.bin %> admin size create -f size.yaml"],
});
