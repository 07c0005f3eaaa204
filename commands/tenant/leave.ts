import { completionsOf } from "../../src/cli/completion/source.js";
import { refArg, yesFlag } from "../../src/cli/flags.js";
import { confirmDestructive } from "../../src/cli/resources/common.js";
import { tenant } from "../../src/cli/resources/tenant.js";
import { ResourceCommand } from "../../src/cli/verbs/resource-command.js";
import { type Tenant, TenantService } from "../../src/gen/metalstack/api/v2/tenant_pb.js";

/** TenantLeave removes the caller from a tenant after a confirmation (or --yes). */
export default class TenantLeave extends ResourceCommand<typeof TenantLeave, Tenant> {
  static override summary = "Leave a tenant (asks unless --yes).";
  static override args = { tenant: refArg(tenant) };
  static override flags = { ...yesFlag };
  static override completion = completionsOf(this);
  protected override readonly resource = tenant;

  async run(): Promise<void> {
    const id = await this.itemId();
    await confirmDestructive(this.deps, `leave tenant ${id}`, this.flags.yes);
    await this.deps.client(TenantService).leave({ tenant: id });
    this.note(`Left tenant ${id}.`);
  }
}
