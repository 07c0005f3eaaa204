import { Args } from "@oclif/core";
import { MetalCommand } from "../../../src/cli/base-command.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { confirmDestructive, yesFlag } from "../../../src/cli/resources/common.js";
import { filesystemView } from "../../../src/cli/resources/filesystem.js";
import { FilesystemService } from "../../../src/gen/metalstack/admin/v2/filesystem_pb.js";
import type { FilesystemLayout } from "../../../src/gen/metalstack/api/v2/filesystem_pb.js";

/** AdminFilesystemDelete deletes a global filesystem after a confirmation (or --yes). */
export default class AdminFilesystemDelete extends MetalCommand<FilesystemLayout> {
  static override summary = "Delete a global filesystem (operators; asks unless --yes).";
  static override aliases = ["admin filesystem rm"];
  static override args = { id: Args.string({ description: "ID.", required: true }) };
  static override flags = { ...yesFlag };

  async run(): Promise<FilesystemLayout> {
    const { args, flags } = await this.parse(AdminFilesystemDelete);
    await confirmDestructive(this.deps, `delete filesystem ${args.id}`, flags.yes);
    return (await this.deps.client(FilesystemService).delete({ id: args.id })).filesystemLayout!;
  }

  protected override present(item: FilesystemLayout): Printable<FilesystemLayout> {
    return { view: filesystemView, items: [item], list: false };
  }
}
