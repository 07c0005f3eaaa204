import { Args, Flags } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { tenantUpdateRequest, tenantView } from "../../src/cli/resources/tenant.js";
import { type Tenant, TenantService } from "../../src/gen/metalstack/api/v2/tenant_pb.js";

/** TenantUpdate changes a tenant's name, description, email or labels. */
export default class TenantUpdate extends MetalCommand<Tenant> {
  static override summary = "Change a tenant.";
  static override args = { tenant: Args.string({ description: "Tenant ID.", required: true }) };
  static override flags = {
    name: Flags.string({ summary: "New name." }),
    description: Flags.string({ summary: "New description." }),
    email: Flags.string({ summary: "New contact email." }),
    labels: Flags.string({ summary: "Labels to set, key=value.", multiple: true }),
    "remove-labels": Flags.string({ summary: "Label keys to remove.", multiple: true }),
  };

  async run(): Promise<Tenant> {
    const { args, flags } = await this.parse(TenantUpdate);
    const req = tenantUpdateRequest(args.tenant, { ...flags, removeLabels: flags["remove-labels"] });
    return (await this.deps.client(TenantService).update(req)).tenant!;
  }

  protected override present(t: Tenant): Printable<Tenant> {
    return { view: tenantView, items: [t], list: false };
  }
}
