import { MetalCommand } from "../../src/cli/base-command.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { remember } from "../../src/cli/resources/common.js";
import { sizeView } from "../../src/cli/resources/size.js";
import { type Size, SizeService } from "../../src/gen/metalstack/api/v2/size_pb.js";

/** SizeList list the machine sizes. */
export default class SizeList extends MetalCommand<Size[]> {
  static override summary = "List the machine sizes.";
  static override aliases = ["size ls"];
  static override flags = {};

  async run(): Promise<Size[]> {
    await this.parse(SizeList);
    const res = await this.deps.client(SizeService).list({});
    remember(
      this.deps,
      "size",
      res.sizes.map((p) => ({ value: p.id, description: p.name || p.description })),
    );
    return res.sizes;
  }

  protected override present(items: Size[]): Printable<Size> {
    return { view: sizeView, items, list: true };
  }
}
