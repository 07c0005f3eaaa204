import { Args } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { tokenView } from "../../src/cli/resources/token.js";
import { type Token, TokenService } from "../../src/gen/metalstack/api/v2/token_pb.js";

/** TokenDescribe shows one of the caller's tokens with its grants. */
export default class TokenDescribe extends MetalCommand<Token> {
  static override summary = "Show one of your tokens and its grants.";
  static override args = { id: Args.string({ description: "Token id.", required: true }) };
  static override examples = ["<%= config.bin %> token describe 0b1c… -o yaml"];

  async run(): Promise<Token> {
    const { args } = await this.parse(TokenDescribe);
    return (await this.deps.client(TokenService).get({ uuid: args.id })).token!;
  }

  protected override present(t: Token): Printable<Token> {
    return { view: tokenView, items: [t], list: false };
  }
}
