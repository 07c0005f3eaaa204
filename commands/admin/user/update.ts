import { Args, Flags } from "@oclif/core";
import { MetalCommand } from "../../../src/cli/base-command.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { localUserUpdateRequest, localUserView } from "../../../src/cli/resources/admin-user.js";
import { enumKeys } from "../../../src/cli/resources/common.js";
import {
  LocalRoleSchema,
  type LocalUser,
  UserService,
} from "../../../src/gen/metalstack/admin/v2/user_pb.js";

/** AdminUserUpdate changes a local user's name, email or roles. */
export default class AdminUserUpdate extends MetalCommand<LocalUser> {
  static override summary = "Change a local user's name, email or roles.";
  static override args = { id: Args.string({ description: "User ID.", required: true }) };
  static override flags = {
    name: Flags.string({ summary: "New display name." }),
    email: Flags.string({ summary: "New email address." }),
    roles: Flags.string({
      summary: `Replace the roles: ${enumKeys(LocalRoleSchema).join(", ")}.`,
      multiple: true,
    }),
  };

  async run(): Promise<LocalUser> {
    const { args, flags } = await this.parse(AdminUserUpdate);
    return (await this.deps.client(UserService).update(localUserUpdateRequest(args.id, flags))).user!;
  }

  protected override present(u: LocalUser): Printable<LocalUser> {
    return { view: localUserView, items: [u], list: false };
  }
}
