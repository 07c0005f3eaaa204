import { completionsOf } from "../../src/cli/completion/source.js";
import { parseDuration } from "../../src/cli/duration.js";
import { inviteFlags, refArg } from "../../src/cli/flags.js";
import { inviteDetail, inviteJson, tenant, tenantInviteRequest } from "../../src/cli/resources/tenant.js";
import { ResourceCommand } from "../../src/cli/verbs/resource-command.js";
import { type Tenant, TenantService } from "../../src/gen/metalstack/api/v2/tenant_pb.js";

/** TenantInvite creates an invitation secret that lets someone join the tenant with a role. */
export default class TenantInvite extends ResourceCommand<typeof TenantInvite, Tenant> {
  static override summary = "Invite someone to a tenant: prints a one-time secret.";
  static override args = { tenant: refArg(tenant) };
  static override flags = inviteFlags;
  static override completion = completionsOf(this);
  protected override readonly resource = tenant;

  async run(): Promise<void> {
    const { flags } = this;
    const req = tenantInviteRequest(
      await this.itemId(),
      flags.role,
      parseDuration(flags.expires, "--expires"),
      this.deps.now(),
    );
    const res = await this.deps.client(TenantService).invite(req);
    this.print(inviteDetail("tenant", inviteJson(res.invite!), res.secret));
  }
}
