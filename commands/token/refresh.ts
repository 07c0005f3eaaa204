import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Args, Flags } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { parseDuration } from "../../src/cli/duration.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { type MintedToken, mintedDetail, mintedWarning } from "../../src/cli/resources/token.js";
import { TokenService } from "../../src/gen/metalstack/api/v2/token_pb.js";

/** TokenRefresh replaces an API token by a new one with the same grants and revokes the old one. */
export default class TokenRefresh extends MetalCommand<MintedToken> {
  static override summary =
    "Replace an API token by a new one with the same grants (the old one is revoked).";
  static override args = { id: Args.string({ description: "Token id (default: the token in use)." }) };
  static override flags = {
    expires: Flags.string({ summary: "Lifetime of the new token, e.g. 30d (default: the old lifetime)." }),
  };
  static override examples = ["<%= config.bin %> token refresh 0b1c… --expires 30d -o json"];

  async run(): Promise<MintedToken> {
    const { args, flags } = await this.parse(TokenRefresh);
    const now = this.deps.now();
    const res = await this.deps.client(TokenService).refresh({
      uuid: args.id ?? "",
      ...(flags.expires
        ? { expires: timestampFromDate(new Date(now.getTime() + parseDuration(flags.expires, "--expires"))) }
        : {}),
    });
    const minted = { token: res.token, secret: res.secret };
    this.note(mintedWarning(minted, now));
    return minted;
  }

  protected override present(m: MintedToken): Printable {
    return mintedDetail(m);
  }
}
