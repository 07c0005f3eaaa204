import { Flags } from "@oclif/core";
import { MetalCommand } from "../../../src/cli/base-command.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { tokenView } from "../../../src/cli/resources/token.js";
import { TokenService } from "../../../src/gen/metalstack/admin/v2/token_pb.js";
import type { Token } from "../../../src/gen/metalstack/api/v2/token_pb.js";

/** AdminTokenList lists every token of all projects and tenants (operators). */
export default class AdminTokenList extends MetalCommand<Token[]> {
  static override summary = "List all tokens (operators).";
  static override aliases = ["admin token ls"];
  static override flags = {
    user: Flags.string({ summary: "Only tokens of this user." }),
  };

  async run(): Promise<Token[]> {
    const { flags } = await this.parse(AdminTokenList);
    return (await this.deps.client(TokenService).list({ ...(flags.user ? { user: flags.user } : {}) }))
      .tokens;
  }

  protected override present(items: Token[]): Printable<Token> {
    return { view: tokenView, items, list: true };
  }
}
