import { Flags } from "@oclif/core";
import { completionsOf } from "../../src/cli/completion/source.js";
import { refArg, yesFlag } from "../../src/cli/flags.js";
import { confirmDestructive } from "../../src/cli/resources/common.js";
import { parseAssignments, parseTenantRole } from "../../src/cli/resources/roles.js";
import { tenant, tenantMemberView } from "../../src/cli/resources/tenant.js";
import { ResourceCommand } from "../../src/cli/verbs/resource-command.js";
import { type Tenant, type TenantMember, TenantService } from "../../src/gen/metalstack/api/v2/tenant_pb.js";

/** TenantMembers lists a tenant's members; owners can change roles (--set-role) and remove members. */
export default class TenantMembers extends ResourceCommand<typeof TenantMembers, Tenant> {
  static override summary = "List a tenant's members, change their roles or remove them.";
  static override args = { tenant: refArg(tenant) };
  static override examples = [
    "<%= config.bin %> tenant members acme",
    "<%= config.bin %> tenant members acme --set-role alice=editor --remove bob --yes",
  ];
  static override flags = {
    "set-role": Flags.string({ summary: "Give a member a role, USER=ROLE (repeatable).", multiple: true }),
    remove: Flags.string({ summary: "Remove a member (repeatable; asks unless --yes).", multiple: true }),
    ...yesFlag,
  };
  static override completion = completionsOf(this);
  protected override readonly resource = tenant;

  async run(): Promise<TenantMember[]> {
    const { flags } = this;
    const client = this.deps.client(TenantService);
    const roles = parseAssignments(flags["set-role"] ?? [], "--set-role", parseTenantRole);
    const id = await this.itemId();
    for (const [user, role] of Object.entries(roles)) {
      await client.memberUpdate({ tenant: id, user, role });
    }
    for (const user of flags.remove ?? []) {
      await confirmDestructive(this.deps, `remove ${user} from tenant ${id}`, flags.yes);
      await client.memberRemove({ tenant: id, user });
    }
    const { members } = await client.memberList({ tenant: id });
    this.printList(tenantMemberView, members);
    return members;
  }
}
