import { Args, Flags } from "@oclif/core";
import { MetalCommand } from "../../../src/cli/base-command.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { localUserCreateRequest, localUserView } from "../../../src/cli/resources/admin-user.js";
import { enumKeys, readSecret } from "../../../src/cli/resources/common.js";
import {
  LocalRoleSchema,
  type LocalUser,
  UserService,
} from "../../../src/gen/metalstack/admin/v2/user_pb.js";

/** AdminUserCreate creates a local user; the password comes from a hidden prompt or stdin, never a flag. */
export default class AdminUserCreate extends MetalCommand<LocalUser> {
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

  async run(): Promise<LocalUser> {
    const { args, flags } = await this.parse(AdminUserCreate);
    const password = await readSecret(this.deps, "password", flags["password-stdin"] ?? false, true);
    const req = localUserCreateRequest(args.id, flags, password);
    return (await this.deps.client(UserService).create(req)).user!;
  }

  protected override present(u: LocalUser): Printable<LocalUser> {
    return { view: localUserView, items: [u], list: false };
  }
}
