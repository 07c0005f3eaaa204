import { completionsOf } from "../../../src/cli/completion/source.js";
import { refArg } from "../../../src/cli/flags.js";
import { localUser } from "../../../src/cli/resources/admin-user.js";
import { ResourceCommand } from "../../../src/cli/verbs/resource-command.js";
import { type LocalUser, UserService } from "../../../src/gen/metalstack/admin/v2/user_pb.js";

/** AdminUserLock locks a local user out of logging in. */
export default class AdminUserLock extends ResourceCommand<typeof AdminUserLock, LocalUser> {
  static override summary = "Lock a local user out of logging in.";
  static override args = { id: refArg(localUser) };
  static override completion = completionsOf(this);
  protected override readonly resource = localUser;

  async run(): Promise<LocalUser> {
    const { user } = await this.deps.client(UserService).lock({ id: await this.itemId() });
    this.printItem(localUser.view, user!);
    return user!;
  }
}
