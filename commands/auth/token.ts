import { MetalCommand } from "../../src/cli/base-command.js";
import { quietFlags } from "../../src/cli/flags.js";

/** AuthToken prints the current access token (renewed if needed) for use with other tools. */
export default class AuthToken extends MetalCommand<typeof AuthToken> {
  static override summary = "Print the access token of the current context (a secret: handle with care).";
  static override baseFlags = quietFlags;
  static override examples = ['curl -H "Authorization: Bearer $(<%= config.bin %> auth token)" …'];

  async run(): Promise<void> {
    this.deps.io.out(await this.deps.tokenSource().token());
  }
}
