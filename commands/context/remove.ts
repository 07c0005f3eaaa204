import { MetalCommand } from "../../src/cli/base-command.js";
import { completionsOf } from "../../src/cli/completion/source.js";
import { findContext, removeContext } from "../../src/cli/config/store.js";
import { quietFlags, refArg } from "../../src/cli/flags.js";
import { context } from "../../src/cli/resources/context.js";

/** ContextRemove deletes a context and its locally stored credentials. */
export default class ContextRemove extends MetalCommand<typeof ContextRemove> {
  static override summary =
    "Remove a context and its stored credentials (use `metalctl logout` to revoke them first).";
  static override baseFlags = quietFlags;
  static override args = { name: refArg(context) };
  static override examples = ["<%= config.bin %> context remove old-lab"];
  static override completion = completionsOf(this);

  async run(): Promise<void> {
    const { args } = this;
    const config = this.deps.config();
    const ctx = findContext(config, args.name);
    if (ctx.credentialStorage) await this.deps.credentials.remove(ctx.name, ctx.credentialStorage);
    this.deps.saveConfig(removeContext(config, args.name));
    this.note(`Removed context "${args.name}".`);
  }
}
