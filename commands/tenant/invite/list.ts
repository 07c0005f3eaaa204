import { completionsOf } from "../../../src/cli/completion/source.js";
import { refArg } from "../../../src/cli/flags.js";
import { tenant, tenantInviteView } from "../../../src/cli/resources/tenant.js";
import { ResourceCommand } from "../../../src/cli/verbs/resource-command.js";
import {
  type Tenant,
  type TenantInvite,
  TenantService,
} from "../../../src/gen/metalstack/api/v2/tenant_pb.js";

/** TenantInviteList lists a tenant's open invitations (owners only); secrets are never shown again. */
export default class TenantInviteList extends ResourceCommand<typeof TenantInviteList, Tenant> {
  static override summary = "List a tenant's open invitations.";
  static override examples = ["<%= config.bin %> tenant invite list acme"];
  static override args = { tenant: refArg(tenant) };
  static override completion = completionsOf(this);
  protected override readonly resource = tenant;

  async run(): Promise<TenantInvite[]> {
    const { invites } = await this.deps.client(TenantService).inviteList({ tenant: await this.itemId() });
    this.printList(tenantInviteView, invites);
    return invites;
  }
}
