import { Args } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { projectFlag } from "../../src/cli/flags.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { projectOf } from "../../src/cli/resources/common.js";
import { filesystemView } from "../../src/cli/resources/filesystem.js";
import { type FilesystemLayout, FilesystemService } from "../../src/gen/metalstack/api/v2/filesystem_pb.js";

/** FilesystemDescribe show one filesystem layout. */
export default class FilesystemDescribe extends MetalCommand<FilesystemLayout> {
  static override summary = "Show one filesystem layout.";
  static override aliases = ["filesystem get"];
  static override args = { id: Args.string({ description: "ID.", required: true }) };
  static override flags = { ...projectFlag };

  async run(): Promise<FilesystemLayout> {
    const { args } = await this.parse(FilesystemDescribe);
    return (await this.deps.client(FilesystemService).get({ project: projectOf(this.deps), id: args.id }))
      .filesystemLayout!;
  }

  protected override present(item: FilesystemLayout): Printable<FilesystemLayout> {
    return { view: filesystemView, items: [item], list: false };
  }
}
