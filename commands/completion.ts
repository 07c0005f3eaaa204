import { Args } from "@oclif/core";
import { MetalCommand } from "../src/cli/base-command.js";
import { completionScript, installLine, SHELLS, type Shell } from "../src/cli/completion/scripts.js";
import { quietFlags } from "../src/cli/flags.js";

/** Completion prints the shell completion script for bash, zsh, fish or PowerShell. */
export default class Completion extends MetalCommand<typeof Completion> {
  static override summary = "Print the shell completion script (bash, zsh, fish, powershell).";
  static override baseFlags = quietFlags;
  static override description = SHELLS.map((s) => `${s}: ${installLine(s)}`).join("\n");
  static override args = {
    shell: Args.string({ description: "Shell.", options: [...SHELLS], required: true }),
  };

  async run(): Promise<void> {
    const { args } = this;
    this.deps.io.stdout.write(completionScript(args.shell as Shell, this.config.bin));
  }
}
