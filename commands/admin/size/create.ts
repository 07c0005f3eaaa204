import { MetalCommand } from "../../../src/cli/base-command.js";
import { usageError } from "../../../src/cli/errors.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { fileFlag, requestFromFile } from "../../../src/cli/resources/common.js";
import { sizeView } from "../../../src/cli/resources/size.js";
import { SizeService, SizeServiceCreateRequestSchema } from "../../../src/gen/metalstack/admin/v2/size_pb.js";
import type { Size } from "../../../src/gen/metalstack/api/v2/size_pb.js";

/** AdminSizeCreate creates a global size from a YAML/JSON file (the create request in the proto JSON mapping). */
export default class AdminSizeCreate extends MetalCommand<Size> {
  static override summary = "Create a global size from a file (operators).";
  static override examples = ["<%= config.bin %> admin size create -f size.yaml"];
  static override flags = { ...fileFlag };

  async run(): Promise<Size> {
    const { flags } = await this.parse(AdminSizeCreate);
    if (!flags.file)
      throw usageError(
        "admin size create: missing --file",
        "write the size as YAML, e.g. from describe -o yaml",
      );
    const req = requestFromFile(SizeServiceCreateRequestSchema, flags.file);
    return (await this.deps.client(SizeService).create(req)).size!;
  }

  protected override present(item: Size): Printable<Size> {
    return { view: sizeView, items: [item], list: false };
  }
}
