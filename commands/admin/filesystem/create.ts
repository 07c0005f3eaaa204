import { adminFilesystem } from "../../../src/cli/resources/filesystem.js";
import { createFromFileCommand } from "../../../src/cli/verbs/create.js";
import { FilesystemServiceCreateRequestSchema } from "../../../src/gen/metalstack/admin/v2/filesystem_pb.js";

/** admin filesystem create -f FILE: a global filesystem from a YAML/JSON file (the create request in the proto JSON mapping). */
export default createFromFileCommand(adminFilesystem, FilesystemServiceCreateRequestSchema, {
  summary: "Create a global filesystem from a file (operators).",
  examples: ["<%= config.bin %> admin filesystem create -f filesystem.yaml"],
});
