import { Args, Flags } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { projectFlag } from "../../src/cli/flags.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { enumKeys, parseEnum, projectOf } from "../../src/cli/resources/common.js";
import { imageView } from "../../src/cli/resources/image.js";
import { type Image, ImageFeatureSchema, ImageService } from "../../src/gen/metalstack/api/v2/image_pb.js";

/** ImageLatest shows the newest usable image of an operating system. */
export default class ImageLatest extends MetalCommand<Image> {
  static override summary = "Show the newest usable image of an OS.";
  static override args = {
    os: Args.string({ description: "Operating system, e.g. ubuntu.", required: true }),
  };
  static override examples = ["<%= config.bin %> image latest ubuntu --template '{{ .id }}' -o template"];
  static override flags = {
    ...projectFlag,
    feature: Flags.string({
      summary: "Only images with this feature.",
      options: enumKeys(ImageFeatureSchema),
    }),
  };

  async run(): Promise<Image> {
    const { args, flags } = await this.parse(ImageLatest);
    const res = await this.deps.client(ImageService).latest({
      project: projectOf(this.deps),
      os: args.os,
      ...(flags.feature ? { feature: parseEnum(ImageFeatureSchema, flags.feature, "--feature") } : {}),
    });
    return res.image!;
  }

  protected override present(item: Image): Printable<Image> {
    return { view: imageView, items: [item], list: false };
  }
}
