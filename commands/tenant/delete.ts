import { Args } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { confirmDestructive, yesFlag } from "../../src/cli/resources/common.js";
import { tenantView } from "../../src/cli/resources/tenant.js";
import { type Tenant, TenantService } from "../../src/gen/metalstack/api/v2/tenant_pb.js";

/** TenantDelete deletes a tenant after a confirmation (or --yes). */
export default class TenantDelete extends MetalCommand<Tenant> {
  static override summary = "Delete a tenant (asks unless --yes).";
  static override aliases = ["tenant rm"];
  static override args = { tenant: Args.string({ description: "Tenant ID.", required: true }) };
  static override flags = { ...yesFlag };

  async run(): Promise<Tenant> {
    const { args, flags } = await this.parse(TenantDelete);
    await confirmDestructive(this.deps, `delete tenant ${args.tenant}`, flags.yes);
    const t = (await this.deps.client(TenantService).delete({ tenant: args.tenant })).tenant!;
    this.note(`Deleted tenant ${args.tenant}.`);
    return t;
  }

  protected override present(t: Tenant): Printable<Tenant> {
    return { view: tenantView, items: [t], list: false };
  }
}
