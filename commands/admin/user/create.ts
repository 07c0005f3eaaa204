import { Args, Flags } from "@oclif/core";
import { completionsOf } from "../../../src/cli/completion/source.js";
import { localUser, localUserCreateRequest } from "../../../src/cli/resources/admin-user.js";
import { enumKeys, readSecret } from "../../../src/cli/resources/common.js";
import { CreateCommand } from "../../../src/cli/verbs/create.js";
import {
  LocalRoleSchema,
  type LocalUser,
  type UserServiceCreateRequest,
} from "../../../src/gen/metalstack/admin/v2/user_pb.js";

/** AdminUserCreate creates a local user; the password comes from a hidden prompt or stdin, never a flag. */
export default class AdminUserCreate extends CreateCommand<
  typeof AdminUserCreate,
  LocalUser,
  UserServiceCreateRequest
> {
  static override summary = "Create a local user (password via hidden prompt or --password-stdin).";
  static override args = { id: Args.string({ description: "User ID (login name).", required: true }) };
  static override examples = [
    'printf %s "$PW" | <%= config.bin %> admin user create alice --name Alice --password-stdin',
  ];
  static override flags = {
    name: Flags.string({ summary: "Display name." }),
    email: Flags.string({ summary: "Email address." }),
    roles: Flags.string({ summary: `Roles: ${enumKeys(LocalRoleSchema).join(", ")}.`, multiple: true }),
    "password-stdin": Flags.boolean({ summary: "Read the password from stdin." }),
  };
  static override completion = completionsOf(this);
  protected override readonly resource = localUser;

  protected override async request(): Promise<UserServiceCreateRequest> {
    const { flags } = this;
    const password = await readSecret(this.deps, "password", flags["password-stdin"] ?? false, true);
    return localUserCreateRequest(this.args.id, flags, password);
  }
}
