import { Args } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { sizeView } from "../../src/cli/resources/size.js";
import { type Size, SizeService } from "../../src/gen/metalstack/api/v2/size_pb.js";

/** SizeDescribe show one machine size. */
export default class SizeDescribe extends MetalCommand<Size> {
  static override summary = "Show one machine size.";
  static override aliases = ["size get"];
  static override args = { id: Args.string({ description: "ID.", required: true }) };
  static override flags = {};

  async run(): Promise<Size> {
    const { args } = await this.parse(SizeDescribe);
    return (await this.deps.client(SizeService).get({ id: args.id })).size!;
  }

  protected override present(item: Size): Printable<Size> {
    return { view: sizeView, items: [item], list: false };
  }
}
