import { Args } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { confirmDestructive, yesFlag } from "../../src/cli/resources/common.js";
import { TenantService } from "../../src/gen/metalstack/api/v2/tenant_pb.js";

/** TenantLeave removes the caller from a tenant after a confirmation (or --yes). */
export default class TenantLeave extends MetalCommand<void> {
  static override summary = "Leave a tenant (asks unless --yes).";
  static override args = { tenant: Args.string({ description: "Tenant ID.", required: true }) };
  static override flags = { ...yesFlag };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(TenantLeave);
    await confirmDestructive(this.deps, `leave tenant ${args.tenant}`, flags.yes);
    await this.deps.client(TenantService).leave({ tenant: args.tenant });
    this.note(`Left tenant ${args.tenant}.`);
  }
}
