import { Flags } from "@oclif/core";
import { MetalCommand } from "../../../src/cli/base-command.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { imageView } from "../../../src/cli/resources/image.js";
import { ImageService } from "../../../src/gen/metalstack/admin/v2/image_pb.js";
import type { Image } from "../../../src/gen/metalstack/api/v2/image_pb.js";

/** AdminImageList lists every image of all projects and tenants (operators). */
export default class AdminImageList extends MetalCommand<Image[]> {
  static override summary = "List all images (operators).";
  static override aliases = ["admin image ls"];
  static override flags = {
    project: Flags.string({ summary: "Only images of this project." }),
    os: Flags.string({ summary: "Only images of this OS." }),
  };

  async run(): Promise<Image[]> {
    const { flags } = await this.parse(AdminImageList);
    return (
      await this.deps
        .client(ImageService)
        .list({ ...(flags.project ? { project: flags.project } : {}), ...(flags.os ? { os: flags.os } : {}) })
    ).images;
  }

  protected override present(items: Image[]): Printable<Image> {
    return { view: imageView, items, list: true };
  }
}
