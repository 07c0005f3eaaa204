import { Args } from "@oclif/core";
import { MetalCommand } from "../../../src/cli/base-command.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { localUserView } from "../../../src/cli/resources/admin-user.js";
import { type LocalUser, UserService } from "../../../src/gen/metalstack/admin/v2/user_pb.js";

/** AdminUserDescribe: Show one local user. */
export default class AdminUserDescribe extends MetalCommand<LocalUser> {
  static override summary = "Show one local user.";
  static override args = { id: Args.string({ description: "User ID.", required: true }) };

  async run(): Promise<LocalUser> {
    const { args } = await this.parse(AdminUserDescribe);
    return (await this.deps.client(UserService).get({ id: args.id })).user!;
  }

  protected override present(u: LocalUser): Printable<LocalUser> {
    return { view: localUserView, items: [u], list: false };
  }
}
