import type { MessageInitShape } from "@bufbuild/protobuf";
import { completionsOf } from "../../../src/cli/completion/source.js";
import { attachConsole } from "../../../src/cli/console/attach.js";
import { quietFlags, refArg } from "../../../src/cli/flags.js";
import { adminMachine } from "../../../src/cli/resources/admin-machine.js";
import { ResourceCommand } from "../../../src/cli/verbs/resource-command.js";
import {
  MachineService,
  type MachineServiceConsoleRequestSchema,
} from "../../../src/gen/metalstack/admin/v2/machine_pb.js";
import type { Machine } from "../../../src/gen/metalstack/api/v2/machine_pb.js";

/** AdminMachineConsole attaches the terminal to any machine's serial console (operators). */
export default class AdminMachineConsole extends ResourceCommand<typeof AdminMachineConsole, Machine> {
  static override summary =
    "Attach the terminal to any machine's serial console (operators; ~. after Enter leaves).";
  static override description =
    "The terminal is in raw mode while attached: every key, Ctrl-C included, goes to the machine. Needs a terminal.";
  static override baseFlags = quietFlags;
  static override args = { id: refArg(adminMachine) };
  static override completion = completionsOf(this);
  protected override readonly resource = adminMachine;

  async run(): Promise<void> {
    const uuid = await this.itemId();
    const client = this.deps.bidiClient(MachineService);
    await attachConsole<MessageInitShape<typeof MachineServiceConsoleRequestSchema>>(
      this.deps.io,
      `machine ${uuid}`,
      {
        first: (windowSize) => ({ uuid, windowSize }),
        input: (input) => ({ uuid, input }),
        resize: (windowSize) => ({ uuid, windowSize }),
        // 0 turns off the transport's default request timeout, which must not end a console.
        open: (requests, signal) => client.console(requests, { signal, timeoutMs: 0 }),
      },
    );
  }
}
