import { completionsOf } from "../../src/cli/completion/source.js";
import { refArg } from "../../src/cli/flags.js";
import { token } from "../../src/cli/resources/token.js";
import { ResourceCommand } from "../../src/cli/verbs/resource-command.js";
import { type Token, TokenService } from "../../src/gen/metalstack/api/v2/token_pb.js";

/** TokenRevoke invalidates one of the caller's tokens at once. */
export default class TokenRevoke extends ResourceCommand<typeof TokenRevoke, Token> {
  static override summary = "Revoke one of your tokens; it stops working at once.";
  static override args = { id: refArg(token) };
  static override examples = ["<%= config.bin %> token revoke 0b1c…"];
  static override completion = completionsOf(this);
  protected override readonly resource = token;

  async run(): Promise<void> {
    const uuid = await this.itemId();
    await this.deps.client(TokenService).revoke({ uuid });
    this.note(`Revoked token ${uuid}.`);
  }
}
