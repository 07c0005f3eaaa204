import { Args } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { TokenService } from "../../src/gen/metalstack/api/v2/token_pb.js";

/** TokenRevoke invalidates one of the caller's tokens at once. */
export default class TokenRevoke extends MetalCommand<void> {
  static override summary = "Revoke one of your tokens; it stops working at once.";
  static override args = { id: Args.string({ description: "Token id.", required: true }) };
  static override examples = ["<%= config.bin %> token revoke 0b1c…"];

  async run(): Promise<void> {
    const { args } = await this.parse(TokenRevoke);
    await this.deps.client(TokenService).revoke({ uuid: args.id });
    this.note(`Revoked token ${args.id}.`);
  }
}
