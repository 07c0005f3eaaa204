import { Args, Flags } from "@oclif/core";
import { completionsOf } from "../../src/cli/completion/source.js";
import { projectFlag } from "../../src/cli/flags.js";
import { enumKeys, parseEnum } from "../../src/cli/resources/common.js";
import { image } from "../../src/cli/resources/image.js";
import { ResourceCommand } from "../../src/cli/verbs/resource-command.js";
import { type Image, ImageFeatureSchema, ImageService } from "../../src/gen/metalstack/api/v2/image_pb.js";

/** ImageLatest shows the newest usable image of an operating system. */
export default class ImageLatest extends ResourceCommand<typeof ImageLatest, Image> {
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
  static override completion = completionsOf(this);
  protected override readonly resource = image;

  async run(): Promise<Image> {
    const { feature } = this.flags;
    const res = await this.deps.client(ImageService).latest({
      project: await this.scopeProject(),
      os: this.args.os,
      ...(feature ? { feature: parseEnum(ImageFeatureSchema, feature, "--feature") } : {}),
    });
    this.printItem(image.view, res.image!);
    return res.image!;
  }
}
