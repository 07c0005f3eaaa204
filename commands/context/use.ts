import { Args } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { switchContext } from "../../src/cli/config/store.js";

/** ContextUse switches the current context; `-` goes back to the previous one. */
export default class ContextUse extends MetalCommand<void> {
  static override summary = "Switch the current context ('-' goes back to the previous one).";
  static override args = {
    name: Args.string({ description: "Context name, or - for the previous one.", required: true }),
  };
  static override examples = ["<%= config.bin %> context use prod", "<%= config.bin %> context use -"];

  async run(): Promise<void> {
    const { args } = await this.parse(ContextUse);
    const next = switchContext(this.deps.config(), args.name);
    this.deps.saveConfig(next);
    this.note(`Switched to context "${next.current}".`);
  }
}
