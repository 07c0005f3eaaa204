import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Flags } from "@oclif/core";
import { completionsOf } from "../../src/cli/completion/source.js";
import { parseDuration } from "../../src/cli/duration.js";
import { refArg } from "../../src/cli/flags.js";
import { type MintedToken, mintedDetail, mintedWarning, token } from "../../src/cli/resources/token.js";
import { ResourceCommand } from "../../src/cli/verbs/resource-command.js";
import { type Token, TokenService } from "../../src/gen/metalstack/api/v2/token_pb.js";

/** TokenRefresh replaces an API token by a new one with the same grants and revokes the old one. */
export default class TokenRefresh extends ResourceCommand<typeof TokenRefresh, Token> {
  static override summary =
    "Replace an API token by a new one with the same grants (the old one is revoked).";
  static override args = {
    id: refArg(token, { description: "Token id (default: the token in use).", optional: true }),
  };
  static override flags = {
    expires: Flags.string({ summary: "Lifetime of the new token, e.g. 30d (default: the old lifetime)." }),
  };
  static override examples = ["<%= config.bin %> token refresh 0b1c… --expires 30d -o json"];
  static override completion = completionsOf(this);
  protected override readonly resource = token;

  async run(): Promise<MintedToken> {
    const { expires } = this.flags;
    const now = this.deps.now();
    const res = await this.deps.client(TokenService).refresh({
      uuid: this.args.id ? await this.itemId() : "",
      ...(expires
        ? { expires: timestampFromDate(new Date(now.getTime() + parseDuration(expires, "--expires"))) }
        : {}),
    });
    const minted = { token: res.token, secret: res.secret };
    this.note(mintedWarning(minted, now));
    this.print(mintedDetail(minted));
    return minted;
  }
}
