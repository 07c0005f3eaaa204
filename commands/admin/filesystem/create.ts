import { MetalCommand } from "../../../src/cli/base-command.js";
import { usageError } from "../../../src/cli/errors.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { fileFlag, requestFromFile } from "../../../src/cli/resources/common.js";
import { filesystemView } from "../../../src/cli/resources/filesystem.js";
import {
  FilesystemService,
  FilesystemServiceCreateRequestSchema,
} from "../../../src/gen/metalstack/admin/v2/filesystem_pb.js";
import type { FilesystemLayout } from "../../../src/gen/metalstack/api/v2/filesystem_pb.js";

/** AdminFilesystemCreate creates a global filesystem from a YAML/JSON file (the create request in the proto JSON mapping). */
export default class AdminFilesystemCreate extends MetalCommand<FilesystemLayout> {
  static override summary = "Create a global filesystem from a file (operators).";
  static override examples = ["<%= config.bin %> admin filesystem create -f filesystem.yaml"];
  static override flags = { ...fileFlag };

  async run(): Promise<FilesystemLayout> {
    const { flags } = await this.parse(AdminFilesystemCreate);
    if (!flags.file)
      throw usageError(
        "admin filesystem create: missing --file",
        "write the filesystem as YAML, e.g. from describe -o yaml",
      );
    const req = requestFromFile(FilesystemServiceCreateRequestSchema, flags.file);
    return (await this.deps.client(FilesystemService).create(req)).filesystemLayout!;
  }

  protected override present(item: FilesystemLayout): Printable<FilesystemLayout> {
    return { view: filesystemView, items: [item], list: false };
  }
}
