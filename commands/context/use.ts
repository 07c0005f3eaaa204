import { MetalCommand } from "../../src/cli/base-command.js";
import { completionsOf } from "../../src/cli/completion/source.js";
import { switchContext } from "../../src/cli/config/store.js";
import { quietFlags, refArg } from "../../src/cli/flags.js";
import { context } from "../../src/cli/resources/context.js";

/** ContextUse switches the current context; `-` goes back to the previous one. */
export default class ContextUse extends MetalCommand<typeof ContextUse> {
  static override summary = "Switch the current context ('-' goes back to the previous one).";
  static override baseFlags = quietFlags;
  static override args = {
    name: refArg(context, { description: "Context name, or - for the previous one." }),
  };
  static override examples = ["<%= config.bin %> context use prod", "<%= config.bin %> context use -"];
  static override completion = completionsOf(this);

  async run(): Promise<void> {
    const { args } = this;
    const next = switchContext(this.deps.config(), args.name);
    this.deps.saveConfig(next);
    this.note(`Switched to context "${next.current}".`);
  }
}
