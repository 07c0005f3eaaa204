import { Flags } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { completeFrom, completionsOf } from "../../src/cli/completion/source.js";
import { requireProject } from "../../src/cli/config/target.js";
import { projectFlag } from "../../src/cli/flags.js";
import { method } from "../../src/cli/resources/method.js";
import {
  type MintedToken,
  mintedDetail,
  mintedWarning,
  parsePermission,
  resolveGrantNames,
  resolvePermissions,
  tokenCreateRequest,
} from "../../src/cli/resources/token.js";
import { MethodService } from "../../src/gen/metalstack/api/v2/method_pb.js";
import { TokenService } from "../../src/gen/metalstack/api/v2/token_pb.js";

/** TokenCreate mints an API token for automation with explicit, expiring grants. */
export default class TokenCreate extends MetalCommand<typeof TokenCreate> {
  static override summary = "Create an API token for CI and scripts; the secret is printed once.";
  static override description =
    "The token can never grant more than you hold. Project-scoped --permission methods without @SUBJECT " +
    "apply to the current project; methods without a subject get '*'.";
  static override flags = {
    ...projectFlag,
    description: Flags.string({ char: "d", summary: "What the token is for." }),
    expires: Flags.string({ summary: "Lifetime, e.g. 12h, 30d (capped by the server).", required: true }),
    "project-role": Flags.string({
      summary: "Grant a project role: PROJECT=owner|editor|viewer (project ID, name or ID prefix).",
      multiple: true,
    }),
    "tenant-role": Flags.string({
      summary: "Grant a tenant role: TENANT=owner|editor|viewer (tenant ID or name).",
      multiple: true,
    }),
    permission: Flags.string({
      summary: "Grant one method: SERVICE/METHOD[@SUBJECT].",
      multiple: true,
      ...completeFrom(method),
    }),
    "admin-role": Flags.string({ summary: "Grant an operator role.", options: ["editor", "viewer"] }),
  };
  static override examples = [
    "<%= config.bin %> token create --description ci --expires 30d --project-role $PROJECT=editor",
    "<%= config.bin %> token create --expires 1d --permission IPService/List -o json",
  ];

  static override completion = completionsOf(this);

  async run(): Promise<MintedToken> {
    const { flags } = this;
    const specs = (flags.permission ?? []).map(parsePermission);
    const methods = specs.length ? (await this.deps.client(MethodService).list({})).methods : [];
    // The selected project as typed: resolveGrantNames looks it up with the other names.
    const permissions = resolvePermissions(specs, methods, () => requireProject(this.deps.target()));
    const req = await resolveGrantNames(
      this.deps,
      tokenCreateRequest(flags, permissions, this.deps.now()),
      methods,
    );
    const res = await this.deps.client(TokenService).create(req);
    const minted = { token: res.token, secret: res.secret };
    this.note(mintedWarning(minted, this.deps.now()));
    this.print(mintedDetail(minted));
    return minted;
  }
}
