import { Flags } from "@oclif/core";
import { completionsOf } from "../../../src/cli/completion/source.js";
import { refArg } from "../../../src/cli/flags.js";
import { localUser, localUserUpdateRequest } from "../../../src/cli/resources/admin-user.js";
import { enumKeys } from "../../../src/cli/resources/common.js";
import { UpdateCommand } from "../../../src/cli/verbs/update.js";
import {
  LocalRoleSchema,
  type LocalUser,
  type UserServiceUpdateRequest,
} from "../../../src/gen/metalstack/admin/v2/user_pb.js";

/** AdminUserUpdate changes a local user's name, email or roles. */
export default class AdminUserUpdate extends UpdateCommand<
  typeof AdminUserUpdate,
  LocalUser,
  UserServiceUpdateRequest
> {
  static override summary = "Change a local user's name, email or roles.";
  static override args = { id: refArg(localUser) };
  static override flags = {
    name: Flags.string({ summary: "New display name." }),
    email: Flags.string({ summary: "New email address." }),
    roles: Flags.string({
      summary: `Replace the roles: ${enumKeys(LocalRoleSchema).join(", ")}.`,
      multiple: true,
    }),
  };
  static override completion = completionsOf(this);
  protected override readonly resource = localUser;

  protected override async request(): Promise<UserServiceUpdateRequest> {
    return localUserUpdateRequest(await this.itemId(), this.flags);
  }
}
