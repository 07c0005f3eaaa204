import { Args } from "@oclif/core";
import { MetalCommand } from "../../../src/cli/base-command.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { localUserView } from "../../../src/cli/resources/admin-user.js";
import { confirmDestructive, yesFlag } from "../../../src/cli/resources/common.js";
import { type LocalUser, UserService } from "../../../src/gen/metalstack/admin/v2/user_pb.js";

/** AdminUserDelete deletes a local user after a confirmation (or --yes). */
export default class AdminUserDelete extends MetalCommand<LocalUser> {
  static override summary = "Delete a local user (asks unless --yes).";
  static override aliases = ["admin user rm"];
  static override args = { id: Args.string({ description: "User ID.", required: true }) };
  static override flags = { ...yesFlag };

  async run(): Promise<LocalUser> {
    const { args, flags } = await this.parse(AdminUserDelete);
    await confirmDestructive(this.deps, `delete local user ${args.id}`, flags.yes);
    const u = (await this.deps.client(UserService).delete({ id: args.id })).user!;
    this.note(`Deleted user ${args.id}.`);
    return u;
  }

  protected override present(u: LocalUser): Printable<LocalUser> {
    return { view: localUserView, items: [u], list: false };
  }
}
