import { Args } from "@oclif/core";
import { MetalCommand } from "../../../src/cli/base-command.js";
import { confirmDestructive, yesFlag } from "../../../src/cli/resources/common.js";
import { TokenService } from "../../../src/gen/metalstack/admin/v2/token_pb.js";

/** AdminTokenRevoke revokes any user's token (operators). */
export default class AdminTokenRevoke extends MetalCommand<void> {
  static override summary = "Revoke any user's token (operators; asks unless --yes).";
  static override args = { uuid: Args.string({ description: "Token ID.", required: true }) };
  static override flags = { ...yesFlag };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(AdminTokenRevoke);
    await confirmDestructive(this.deps, `revoke token ${args.uuid}`, flags.yes);
    await this.deps.client(TokenService).revoke({ uuid: args.uuid });
    this.note(`Revoked token ${args.uuid}.`);
  }
}
