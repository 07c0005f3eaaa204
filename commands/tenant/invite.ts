import { Args } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { parseDuration } from "../../src/cli/duration.js";
import { inviteFlags } from "../../src/cli/flags.js";
import type { Detail } from "../../src/cli/output/printer.js";
import { inviteDetail, inviteJson, tenantInviteRequest } from "../../src/cli/resources/tenant.js";
import { TenantService } from "../../src/gen/metalstack/api/v2/tenant_pb.js";

/** TenantInvite creates an invitation secret that lets someone join the tenant with a role. */
export default class TenantInvite extends MetalCommand<Detail> {
  static override summary = "Invite someone to a tenant: prints a one-time secret.";
  static override args = { tenant: Args.string({ description: "Tenant ID.", required: true }) };
  static override flags = inviteFlags;

  async run(): Promise<Detail> {
    const { args, flags } = await this.parse(TenantInvite);
    const req = tenantInviteRequest(
      args.tenant,
      flags.role,
      parseDuration(flags.expires, "--expires"),
      this.deps.now(),
    );
    const res = await this.deps.client(TenantService).invite(req);
    return inviteDetail("tenant", inviteJson(res.invite!), res.secret);
  }

  protected override present(d: Detail): Detail {
    return d;
  }
}
