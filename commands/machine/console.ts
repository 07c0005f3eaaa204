import type { MessageInitShape } from "@bufbuild/protobuf";
import { completionsOf } from "../../src/cli/completion/source.js";
import { attachConsole } from "../../src/cli/console/attach.js";
import { projectFlag, quietFlags, refArg } from "../../src/cli/flags.js";
import { machine } from "../../src/cli/resources/machine.js";
import { ResourceCommand } from "../../src/cli/verbs/resource-command.js";
import {
  type Machine,
  MachineService,
  type MachineServiceConsoleRequestSchema,
} from "../../src/gen/metalstack/api/v2/machine_pb.js";

/** MachineConsole attaches the terminal to a machine's serial console (project editors and owners). */
export default class MachineConsole extends ResourceCommand<typeof MachineConsole, Machine> {
  static override summary = "Attach the terminal to a machine's serial console (~. after Enter leaves).";
  static override description =
    "The terminal is in raw mode while attached: every key, Ctrl-C included, goes to the machine. Needs a terminal.";
  static override baseFlags = quietFlags;
  static override args = { id: refArg(machine) };
  static override flags = { ...projectFlag };
  static override completion = completionsOf(this);
  protected override readonly resource = machine;

  async run(): Promise<void> {
    const project = await this.scopeProject();
    const uuid = await this.itemId();
    const client = this.deps.bidiClient(MachineService);
    await attachConsole<MessageInitShape<typeof MachineServiceConsoleRequestSchema>>(
      this.deps.io,
      `machine ${uuid}`,
      {
        first: (windowSize) => ({ project, uuid, windowSize }),
        input: (input) => ({ project, uuid, input }),
        resize: (windowSize) => ({ project, uuid, windowSize }),
        // 0 turns off the transport's default request timeout, which must not end a console.
        open: (requests, signal) => client.console(requests, { signal, timeoutMs: 0 }),
      },
    );
  }
}
