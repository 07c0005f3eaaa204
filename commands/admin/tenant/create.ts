import { create } from "@bufbuild/protobuf";
import { Flags } from "@oclif/core";
import { completionsOf } from "../../../src/cli/completion/source.js";
import { adminTenants } from "../../../src/cli/resources/tenant.js";
import { CreateCommand } from "../../../src/cli/verbs/create.js";
import type { TenantServiceCreateRequest } from "../../../src/gen/metalstack/admin/v2/tenant_pb.js";
import { TenantServiceCreateRequestSchema } from "../../../src/gen/metalstack/admin/v2/tenant_pb.js";
import type { Tenant } from "../../../src/gen/metalstack/api/v2/tenant_pb.js";

/** AdminTenantCreate creates a tenant for an existing user, who becomes its owner (operators). */
export default class AdminTenantCreate extends CreateCommand<
  typeof AdminTenantCreate,
  Tenant,
  TenantServiceCreateRequest
> {
  static override summary = "Create a tenant owned by an existing user (operators).";
  static override examples = ["<%= config.bin %> admin tenant create --owner jdoe --name Acme --id acme"];
  static override flags = {
    owner: Flags.string({ summary: "ID of the user who becomes the tenant's OWNER.", required: true }),
    name: Flags.string({ summary: "Display name.", required: true }),
    id: Flags.string({
      summary: "Slug (lowercase letters, digits, dashes); derived from the name when omitted.",
    }),
    description: Flags.string({ summary: "Description." }),
    email: Flags.string({ summary: "Contact e-mail." }),
  };
  static override completion = completionsOf(this);
  protected override readonly resource = adminTenants;

  protected override request(): TenantServiceCreateRequest {
    const { flags } = this;
    return create(TenantServiceCreateRequestSchema, {
      owner: flags.owner,
      name: flags.name,
      id: flags.id ?? "",
      description: flags.description ?? "",
      email: flags.email ?? "",
    });
  }
}
