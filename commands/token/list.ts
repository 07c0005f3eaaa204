import { MetalCommand } from "../../src/cli/base-command.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { tokenView } from "../../src/cli/resources/token.js";
import { type Token, TokenService } from "../../src/gen/metalstack/api/v2/token_pb.js";

/** TokenList lists the caller's active tokens. */
export default class TokenList extends MetalCommand<Token[]> {
  static override summary = "List your active tokens (login sessions and API tokens).";
  static override examples = [
    "<%= config.bin %> token list",
    "<%= config.bin %> token list -o wide --sort-by expires",
  ];

  async run(): Promise<Token[]> {
    await this.parse(TokenList);
    return (await this.deps.client(TokenService).list({})).tokens;
  }

  protected override present(tokens: Token[]): Printable<Token> {
    return { view: tokenView, items: tokens, list: true };
  }
}
