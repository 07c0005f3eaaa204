import { Flags } from "@oclif/core";
import { MetalCommand } from "../../../src/cli/base-command.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { filesystemView } from "../../../src/cli/resources/filesystem.js";
import { FilesystemService } from "../../../src/gen/metalstack/admin/v2/filesystem_pb.js";
import type { FilesystemLayout } from "../../../src/gen/metalstack/api/v2/filesystem_pb.js";

/** AdminFilesystemList lists every filesystem of all projects and tenants (operators). */
export default class AdminFilesystemList extends MetalCommand<FilesystemLayout[]> {
  static override summary = "List all filesystems (operators).";
  static override aliases = ["admin filesystem ls"];
  static override flags = {
    project: Flags.string({ summary: "Only layouts of this project." }),
  };

  async run(): Promise<FilesystemLayout[]> {
    const { flags } = await this.parse(AdminFilesystemList);
    return (
      await this.deps.client(FilesystemService).list({ ...(flags.project ? { project: flags.project } : {}) })
    ).filesystemLayouts;
  }

  protected override present(items: FilesystemLayout[]): Printable<FilesystemLayout> {
    return { view: filesystemView, items, list: true };
  }
}
