import { Args } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { tenantView } from "../../src/cli/resources/tenant.js";
import { type Tenant, TenantService } from "../../src/gen/metalstack/api/v2/tenant_pb.js";

/** TenantDescribe shows one tenant. */
export default class TenantDescribe extends MetalCommand<Tenant> {
  static override summary = "Show one tenant.";
  static override aliases = ["tenant get"];
  static override args = { tenant: Args.string({ description: "Tenant ID.", required: true }) };

  async run(): Promise<Tenant> {
    const { args } = await this.parse(TenantDescribe);
    return (await this.deps.client(TenantService).get({ tenant: args.tenant })).tenant!;
  }

  protected override present(t: Tenant): Printable<Tenant> {
    return { view: tenantView, items: [t], list: false };
  }
}
