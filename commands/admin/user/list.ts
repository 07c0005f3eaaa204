import { MetalCommand } from "../../../src/cli/base-command.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { localUserView } from "../../../src/cli/resources/admin-user.js";
import { type LocalUser, UserService } from "../../../src/gen/metalstack/admin/v2/user_pb.js";

/** AdminUserList lists the local users of the embedded identity provider. */
export default class AdminUserList extends MetalCommand<LocalUser[]> {
  static override summary = "List local users.";
  static override aliases = ["admin user ls"];

  async run(): Promise<LocalUser[]> {
    await this.parse(AdminUserList);
    return (await this.deps.client(UserService).list({})).users;
  }

  protected override present(items: LocalUser[]): Printable<LocalUser> {
    return { view: localUserView, items, list: true };
  }
}
