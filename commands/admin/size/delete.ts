import { Args } from "@oclif/core";
import { MetalCommand } from "../../../src/cli/base-command.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { confirmDestructive, yesFlag } from "../../../src/cli/resources/common.js";
import { sizeView } from "../../../src/cli/resources/size.js";
import { SizeService } from "../../../src/gen/metalstack/admin/v2/size_pb.js";
import type { Size } from "../../../src/gen/metalstack/api/v2/size_pb.js";

/** AdminSizeDelete deletes a global size after a confirmation (or --yes). */
export default class AdminSizeDelete extends MetalCommand<Size> {
  static override summary = "Delete a global size (operators; asks unless --yes).";
  static override aliases = ["admin size rm"];
  static override args = { id: Args.string({ description: "ID.", required: true }) };
  static override flags = { ...yesFlag };

  async run(): Promise<Size> {
    const { args, flags } = await this.parse(AdminSizeDelete);
    await confirmDestructive(this.deps, `delete size ${args.id}`, flags.yes);
    return (await this.deps.client(SizeService).delete({ id: args.id })).size!;
  }

  protected override present(item: Size): Printable<Size> {
    return { view: sizeView, items: [item], list: false };
  }
}
