import { Args } from "@oclif/core";
import { MetalCommand } from "../../../src/cli/base-command.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { confirmDestructive, yesFlag } from "../../../src/cli/resources/common.js";
import { imageView } from "../../../src/cli/resources/image.js";
import { ImageService } from "../../../src/gen/metalstack/admin/v2/image_pb.js";
import type { Image } from "../../../src/gen/metalstack/api/v2/image_pb.js";

/** AdminImageDelete deletes a global image after a confirmation (or --yes). */
export default class AdminImageDelete extends MetalCommand<Image> {
  static override summary = "Delete a global image (operators; asks unless --yes).";
  static override aliases = ["admin image rm"];
  static override args = { id: Args.string({ description: "ID.", required: true }) };
  static override flags = { ...yesFlag };

  async run(): Promise<Image> {
    const { args, flags } = await this.parse(AdminImageDelete);
    await confirmDestructive(this.deps, `delete image ${args.id}`, flags.yes);
    return (await this.deps.client(ImageService).delete({ id: args.id })).image!;
  }

  protected override present(item: Image): Printable<Image> {
    return { view: imageView, items: [item], list: false };
  }
}
