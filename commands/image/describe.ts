import { Args } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { projectFlag } from "../../src/cli/flags.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { projectOf } from "../../src/cli/resources/common.js";
import { imageView } from "../../src/cli/resources/image.js";
import { type Image, ImageService } from "../../src/gen/metalstack/api/v2/image_pb.js";

/** ImageDescribe show one OS image. */
export default class ImageDescribe extends MetalCommand<Image> {
  static override summary = "Show one OS image.";
  static override aliases = ["image get"];
  static override args = { id: Args.string({ description: "ID.", required: true }) };
  static override flags = { ...projectFlag };

  async run(): Promise<Image> {
    const { args } = await this.parse(ImageDescribe);
    return (await this.deps.client(ImageService).get({ project: projectOf(this.deps), id: args.id })).image!;
  }

  protected override present(item: Image): Printable<Image> {
    return { view: imageView, items: [item], list: false };
  }
}
