import { MetalCommand } from "../../../src/cli/base-command.js";
import { completionsOf } from "../../../src/cli/completion/source.js";
import { quietFlags, refArg, yesFlag } from "../../../src/cli/flags.js";
import { confirmDestructive } from "../../../src/cli/resources/common.js";
import { lookupId } from "../../../src/cli/resources/resource.js";
import { token } from "../../../src/cli/resources/token.js";
import { TokenService } from "../../../src/gen/metalstack/admin/v2/token_pb.js";

/** AdminTokenRevoke revokes any user's token (operators). */
export default class AdminTokenRevoke extends MetalCommand<typeof AdminTokenRevoke> {
  static override summary = "Revoke any user's token (operators; asks unless --yes).";
  static override baseFlags = quietFlags;
  static override args = { uuid: refArg(token, { description: "Token ID." }) };
  static override flags = { ...yesFlag };
  static override completion = completionsOf(this);

  async run(): Promise<void> {
    const uuid = await lookupId(this.deps, token, "", this.args.uuid);
    await confirmDestructive(this.deps, `revoke token ${uuid}`, this.flags.yes);
    await this.deps.client(TokenService).revoke({ uuid });
    this.note(`Revoked token ${uuid}.`);
  }
}
