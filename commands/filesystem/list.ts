import { MetalCommand } from "../../src/cli/base-command.js";
import { projectFlag } from "../../src/cli/flags.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { projectOf, remember } from "../../src/cli/resources/common.js";
import { filesystemView } from "../../src/cli/resources/filesystem.js";
import { type FilesystemLayout, FilesystemService } from "../../src/gen/metalstack/api/v2/filesystem_pb.js";

/** FilesystemList list the filesystem layouts the project may use. */
export default class FilesystemList extends MetalCommand<FilesystemLayout[]> {
  static override summary = "List the filesystem layouts the project may use.";
  static override aliases = ["filesystem ls"];
  static override flags = { ...projectFlag };

  async run(): Promise<FilesystemLayout[]> {
    await this.parse(FilesystemList);
    const res = await this.deps.client(FilesystemService).list({ project: projectOf(this.deps) });
    remember(
      this.deps,
      "filesystem",
      res.filesystemLayouts.map((p) => ({ value: p.id, description: p.name })),
    );
    return res.filesystemLayouts;
  }

  protected override present(items: FilesystemLayout[]): Printable<FilesystemLayout> {
    return { view: filesystemView, items, list: true };
  }
}
