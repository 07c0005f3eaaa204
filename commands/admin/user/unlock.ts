import { completionsOf } from "../../../src/cli/completion/source.js";
import { refArg } from "../../../src/cli/flags.js";
import { localUser } from "../../../src/cli/resources/admin-user.js";
import { ResourceCommand } from "../../../src/cli/verbs/resource-command.js";
import { type LocalUser, UserService } from "../../../src/gen/metalstack/admin/v2/user_pb.js";

/** AdminUserUnlock unlocks a local user (also clears failed logins). */
export default class AdminUserUnlock extends ResourceCommand<typeof AdminUserUnlock, LocalUser> {
  static override summary = "Unlock a local user (also clears failed logins).";
  static override args = { id: refArg(localUser) };
  static override completion = completionsOf(this);
  protected override readonly resource = localUser;

  async run(): Promise<LocalUser> {
    const { user } = await this.deps.client(UserService).unlock({ id: await this.itemId() });
    this.printItem(localUser.view, user!);
    return user!;
  }
}
