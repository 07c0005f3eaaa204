import { Flags } from "@oclif/core";
import { completionsOf } from "../../../src/cli/completion/source.js";
import { refArg } from "../../../src/cli/flags.js";
import { adminMachine } from "../../../src/cli/resources/admin-machine.js";
import { sizeView } from "../../../src/cli/resources/size.js";
import { ResourceCommand } from "../../../src/cli/verbs/resource-command.js";
import { SizeService } from "../../../src/gen/metalstack/admin/v2/size_pb.js";
import type { Machine } from "../../../src/gen/metalstack/api/v2/machine_pb.js";
import type { Size } from "../../../src/gen/metalstack/api/v2/size_pb.js";

/** admin size suggest MACHINE: a size matching one machine's hardware; -o yaml is input for `admin size create -f`. */
export default class AdminSizeSuggest extends ResourceCommand<typeof AdminSizeSuggest, Machine> {
  static override summary = "Suggest a size that matches a machine's hardware (operators; creates nothing).";
  static override description =
    "Cores, memory and storage are constrained to exactly the machine's values; edit the ranges in the YAML before creating it. Existing sizes the machine already fits are named on stderr.";
  static override args = { machine: refArg(adminMachine, { description: "Machine ID." }) };
  static override flags = {
    id: Flags.string({
      summary: "ID of the suggested size (default: derived from the hardware, e.g. c8-m32g-s960g).",
    }),
  };
  static override examples = [
    "<%= config.bin %> admin size suggest 00000000-0000-0000-0000-000000000001 -o yaml > size.yaml",
    "<%= config.bin %> admin size create -f size.yaml",
  ];
  static override completion = completionsOf(this);
  protected override readonly resource = adminMachine;

  async run(): Promise<Size> {
    const machine = (this.args as { machine: string }).machine;
    const res = await this.deps.client(SizeService).suggest({ machine, id: this.flags.id ?? "" });
    if (res.fittingSizes.length > 0) this.note(`The machine already fits: ${res.fittingSizes.join(", ")}`);
    this.printItem(sizeView, res.size!);
    return res.size!;
  }
}
