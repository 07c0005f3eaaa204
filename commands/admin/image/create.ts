import { adminImage } from "../../../src/cli/resources/admin-image.js";
import { createFromFileCommand } from "../../../src/cli/verbs/create.js";
import { ImageServiceCreateRequestSchema } from "../../../src/gen/metalstack/admin/v2/image_pb.js";

/** admin image create -f FILE: a global image from a YAML/JSON file (the create request in the proto JSON mapping). */
export default createFromFileCommand(adminImage, ImageServiceCreateRequestSchema, {
  summary: "Create a global image from a file (operators).",
  examples: ["<%= config.bin %> admin image create -f image.yaml"],
});
