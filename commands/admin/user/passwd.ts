import { Args, Flags } from "@oclif/core";
import { MetalCommand } from "../../../src/cli/base-command.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { localUserView } from "../../../src/cli/resources/admin-user.js";
import { readSecret } from "../../../src/cli/resources/common.js";
import { type LocalUser, UserService } from "../../../src/gen/metalstack/admin/v2/user_pb.js";

/** AdminUserPasswd sets a local user's password, read from a hidden prompt or stdin. */
export default class AdminUserPasswd extends MetalCommand<LocalUser> {
  static override summary = "Set a local user's password (hidden prompt or --password-stdin).";
  static override args = { id: Args.string({ description: "User ID.", required: true }) };
  static override flags = {
    "password-stdin": Flags.boolean({ summary: "Read the password from stdin." }),
    temporary: Flags.boolean({ summary: "The user must change it at the next login." }),
  };

  async run(): Promise<LocalUser> {
    const { args, flags } = await this.parse(AdminUserPasswd);
    const password = await readSecret(this.deps, "new password", flags["password-stdin"] ?? false, true);
    const res = await this.deps
      .client(UserService)
      .setPassword({ id: args.id, password, mustChange: flags.temporary ?? false });
    this.note(`Password of ${args.id} changed.`);
    return res.user!;
  }

  protected override present(u: LocalUser): Printable<LocalUser> {
    return { view: localUserView, items: [u], list: false };
  }
}
