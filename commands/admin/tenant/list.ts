import { Flags } from "@oclif/core";
import { MetalCommand } from "../../../src/cli/base-command.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { tenantView } from "../../../src/cli/resources/tenant.js";
import { TenantService } from "../../../src/gen/metalstack/admin/v2/tenant_pb.js";
import type { Tenant } from "../../../src/gen/metalstack/api/v2/tenant_pb.js";

/** AdminTenantList lists every tenant of all projects and tenants (operators). */
export default class AdminTenantList extends MetalCommand<Tenant[]> {
  static override summary = "List all tenants (operators).";
  static override aliases = ["admin tenant ls"];
  static override flags = {
    name: Flags.string({ summary: "Only tenants with this name." }),
  };

  async run(): Promise<Tenant[]> {
    const { flags } = await this.parse(AdminTenantList);
    const client = this.deps.client(TenantService);
    const items: Tenant[] = [];
    let pageToken = "";
    do {
      const res = await client.list({
        ...{ ...(flags.name ? { name: flags.name } : {}) },
        paging: { pageToken },
      });
      items.push(...res.tenants);
      pageToken = res.nextPageToken;
    } while (pageToken);
    return items;
  }

  protected override present(items: Tenant[]): Printable<Tenant> {
    return { view: tenantView, items, list: true };
  }
}
