import { MetalCommand } from "../../src/cli/base-command.js";
import { projectFlag } from "../../src/cli/flags.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { projectOf, remember } from "../../src/cli/resources/common.js";
import { imageView } from "../../src/cli/resources/image.js";
import { type Image, ImageService } from "../../src/gen/metalstack/api/v2/image_pb.js";

/** ImageList list the OS images the project may use. */
export default class ImageList extends MetalCommand<Image[]> {
  static override summary = "List the OS images the project may use.";
  static override aliases = ["image ls"];
  static override flags = { ...projectFlag };

  async run(): Promise<Image[]> {
    await this.parse(ImageList);
    const res = await this.deps.client(ImageService).list({ project: projectOf(this.deps) });
    remember(
      this.deps,
      "image",
      res.images.map((p) => ({ value: p.id, description: p.name || `${p.os} ${p.version}` })),
    );
    return res.images;
  }

  protected override present(items: Image[]): Printable<Image> {
    return { view: imageView, items, list: true };
  }
}
