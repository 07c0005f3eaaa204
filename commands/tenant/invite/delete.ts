import { Args } from "@oclif/core";
import { completionsOf } from "../../../src/cli/completion/source.js";
import { quietFlags, refArg, yesFlag } from "../../../src/cli/flags.js";
import { confirmDestructive } from "../../../src/cli/resources/common.js";
import { tenant } from "../../../src/cli/resources/tenant.js";
import { ResourceCommand } from "../../../src/cli/verbs/resource-command.js";
import { type Tenant, TenantService } from "../../../src/gen/metalstack/api/v2/tenant_pb.js";

/** TenantInviteDelete withdraws an open invitation, so its secret no longer lets anyone join. */
export default class TenantInviteDelete extends ResourceCommand<typeof TenantInviteDelete, Tenant> {
  static override summary = "Withdraw a tenant's open invitation (asks unless --yes).";
  static override examples = ["<%= config.bin %> tenant invite delete acme 3f2a…"];
  static override args = {
    tenant: refArg(tenant),
    invite: Args.string({ description: "Invitation ID (see tenant invite list).", required: true }),
  };
  static override baseFlags = quietFlags;
  static override flags = yesFlag;
  static override completion = completionsOf(this);
  protected override readonly resource = tenant;

  async run(): Promise<void> {
    const id = await this.itemId();
    await confirmDestructive(
      this.deps,
      `withdraw invitation ${this.args.invite} to tenant ${id}`,
      this.flags.yes,
    );
    await this.deps.client(TenantService).inviteDelete({ tenant: id, id: this.args.invite });
    this.note(`Withdrew invitation ${this.args.invite}.`);
  }
}
