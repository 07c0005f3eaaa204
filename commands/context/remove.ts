import { Args } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { findContext, removeContext } from "../../src/cli/config/store.js";

/** ContextRemove deletes a context and its locally stored credentials. */
export default class ContextRemove extends MetalCommand<void> {
  static override summary =
    "Remove a context and its stored credentials (use `metalctl logout` to revoke them first).";
  static override args = { name: Args.string({ description: "Context name.", required: true }) };
  static override examples = ["<%= config.bin %> context remove old-lab"];

  async run(): Promise<void> {
    const { args } = await this.parse(ContextRemove);
    const config = this.deps.config();
    const ctx = findContext(config, args.name);
    if (ctx.credentialStorage) await this.deps.credentials.remove(ctx.name, ctx.credentialStorage);
    this.deps.saveConfig(removeContext(config, args.name));
    this.note(`Removed context "${args.name}".`);
  }
}
