import { Flags } from "@oclif/core";
import { completionsOf } from "../../src/cli/completion/source.js";
import { requireFlags } from "../../src/cli/resources/common.js";
import { tenant, tenantCreateRequest } from "../../src/cli/resources/tenant.js";
import { CreateCommand } from "../../src/cli/verbs/create.js";
import type { Tenant, TenantServiceCreateRequest } from "../../src/gen/metalstack/api/v2/tenant_pb.js";

/** TenantCreate creates a tenant owned by the caller. */
export default class TenantCreate extends CreateCommand<
  typeof TenantCreate,
  Tenant,
  TenantServiceCreateRequest
> {
  static override summary = "Create a tenant you own.";
  static override flags = {
    id: Flags.string({ summary: "Tenant ID (default: chosen by the server)." }),
    name: Flags.string({ summary: "Name." }),
    description: Flags.string({ summary: "Description." }),
    email: Flags.string({ summary: "Contact email." }),
    labels: Flags.string({ summary: "Labels key=value.", multiple: true }),
  };
  static override completion = completionsOf(this);
  protected override readonly resource = tenant;

  protected override request(): TenantServiceCreateRequest {
    requireFlags(this.flags.name ? [] : ["name"], "tenant create");
    return tenantCreateRequest(this.flags);
  }
}
