import { Args, Flags } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { confirmDestructive, yesFlag } from "../../src/cli/resources/common.js";
import { parseAssignments, parseTenantRole } from "../../src/cli/resources/roles.js";
import { tenantMemberView } from "../../src/cli/resources/tenant.js";
import { type TenantMember, TenantService } from "../../src/gen/metalstack/api/v2/tenant_pb.js";

/** TenantMembers lists a tenant's members; owners can change roles (--set-role) and remove members. */
export default class TenantMembers extends MetalCommand<TenantMember[]> {
  static override summary = "List a tenant's members, change their roles or remove them.";
  static override args = { tenant: Args.string({ description: "Tenant ID.", required: true }) };
  static override examples = [
    "<%= config.bin %> tenant members acme",
    "<%= config.bin %> tenant members acme --set-role alice=editor --remove bob --yes",
  ];
  static override flags = {
    "set-role": Flags.string({ summary: "Give a member a role, USER=ROLE (repeatable).", multiple: true }),
    remove: Flags.string({ summary: "Remove a member (repeatable; asks unless --yes).", multiple: true }),
    ...yesFlag,
  };

  async run(): Promise<TenantMember[]> {
    const { args, flags } = await this.parse(TenantMembers);
    const client = this.deps.client(TenantService);
    const roles = parseAssignments(flags["set-role"] ?? [], "--set-role", parseTenantRole);
    for (const [user, role] of Object.entries(roles)) {
      await client.memberUpdate({ tenant: args.tenant, user, role });
    }
    for (const user of flags.remove ?? []) {
      await confirmDestructive(this.deps, `remove ${user} from tenant ${args.tenant}`, flags.yes);
      await client.memberRemove({ tenant: args.tenant, user });
    }
    return (await client.memberList({ tenant: args.tenant })).members;
  }

  protected override present(items: TenantMember[]): Printable<TenantMember> {
    return { view: tenantMemberView, items, list: true };
  }
}
