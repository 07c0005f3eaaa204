import { Flags } from "@oclif/core";
import { completionsOf } from "../../src/cli/completion/source.js";
import { refArg } from "../../src/cli/flags.js";
import { tenant, tenantUpdateRequest } from "../../src/cli/resources/tenant.js";
import { UpdateCommand } from "../../src/cli/verbs/update.js";
import type { Tenant, TenantServiceUpdateRequest } from "../../src/gen/metalstack/api/v2/tenant_pb.js";

/** TenantUpdate changes a tenant's name, description, email or labels. */
export default class TenantUpdate extends UpdateCommand<
  typeof TenantUpdate,
  Tenant,
  TenantServiceUpdateRequest
> {
  static override summary = "Change a tenant.";
  static override args = { tenant: refArg(tenant) };
  static override flags = {
    name: Flags.string({ summary: "New name." }),
    description: Flags.string({ summary: "New description." }),
    email: Flags.string({ summary: "New contact email." }),
    labels: Flags.string({ summary: "Labels to set, key=value.", multiple: true }),
    "remove-labels": Flags.string({ summary: "Label keys to remove.", multiple: true }),
  };
  static override completion = completionsOf(this);
  protected override readonly resource = tenant;

  protected override async request(): Promise<TenantServiceUpdateRequest> {
    return tenantUpdateRequest(await this.itemId(), {
      ...this.flags,
      removeLabels: this.flags["remove-labels"],
    });
  }
}
