import { MetalCommand } from "../../../src/cli/base-command.js";
import { usageError } from "../../../src/cli/errors.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { fileFlag, requestFromFile } from "../../../src/cli/resources/common.js";
import { imageView } from "../../../src/cli/resources/image.js";
import {
  ImageService,
  ImageServiceCreateRequestSchema,
} from "../../../src/gen/metalstack/admin/v2/image_pb.js";
import type { Image } from "../../../src/gen/metalstack/api/v2/image_pb.js";

/** AdminImageCreate creates a global image from a YAML/JSON file (the create request in the proto JSON mapping). */
export default class AdminImageCreate extends MetalCommand<Image> {
  static override summary = "Create a global image from a file (operators).";
  static override examples = ["<%= config.bin %> admin image create -f image.yaml"];
  static override flags = { ...fileFlag };

  async run(): Promise<Image> {
    const { flags } = await this.parse(AdminImageCreate);
    if (!flags.file)
      throw usageError(
        "admin image create: missing --file",
        "write the image as YAML, e.g. from describe -o yaml",
      );
    const req = requestFromFile(ImageServiceCreateRequestSchema, flags.file);
    return (await this.deps.client(ImageService).create(req)).image!;
  }

  protected override present(item: Image): Printable<Image> {
    return { view: imageView, items: [item], list: false };
  }
}
