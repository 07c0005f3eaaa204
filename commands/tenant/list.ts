import { MetalCommand } from "../../src/cli/base-command.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { remember } from "../../src/cli/resources/common.js";
import { tenantView } from "../../src/cli/resources/tenant.js";
import { type Tenant, TenantService } from "../../src/gen/metalstack/api/v2/tenant_pb.js";

/** TenantList lists the tenants the caller is a member of. */
export default class TenantList extends MetalCommand<Tenant[]> {
  static override summary = "List your tenants.";
  static override aliases = ["tenant ls"];

  async run(): Promise<Tenant[]> {
    await this.parse(TenantList);
    const { tenants } = await this.deps.client(TenantService).list({});
    remember(
      this.deps,
      "tenant",
      tenants.map((t) => ({ value: t.id, description: t.name })),
    );
    return tenants;
  }

  protected override present(items: Tenant[]): Printable<Tenant> {
    return { view: tenantView, items, list: true };
  }
}
