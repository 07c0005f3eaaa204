import { Flags } from "@oclif/core";
import { completionsOf } from "../../../src/cli/completion/source.js";
import { refArg } from "../../../src/cli/flags.js";
import { localUser } from "../../../src/cli/resources/admin-user.js";
import { readSecret } from "../../../src/cli/resources/common.js";
import { ResourceCommand } from "../../../src/cli/verbs/resource-command.js";
import { type LocalUser, UserService } from "../../../src/gen/metalstack/admin/v2/user_pb.js";

/** AdminUserPasswd sets a local user's password, read from a hidden prompt or stdin. */
export default class AdminUserPasswd extends ResourceCommand<typeof AdminUserPasswd, LocalUser> {
  static override summary = "Set a local user's password (hidden prompt or --password-stdin).";
  static override args = { id: refArg(localUser) };
  static override flags = {
    "password-stdin": Flags.boolean({ summary: "Read the password from stdin." }),
    temporary: Flags.boolean({ summary: "The user must change it at the next login." }),
  };
  static override completion = completionsOf(this);
  protected override readonly resource = localUser;

  async run(): Promise<LocalUser> {
    const { flags } = this;
    const password = await readSecret(this.deps, "new password", flags["password-stdin"] ?? false, true);
    const id = await this.itemId();
    const res = await this.deps
      .client(UserService)
      .setPassword({ id, password, mustChange: flags.temporary ?? false });
    this.note(`Password of ${id} changed.`);
    this.printItem(localUser.view, res.user!);
    return res.user!;
  }
}
