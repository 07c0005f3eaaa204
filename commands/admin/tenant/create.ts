import { Flags } from "@oclif/core";
import { MetalCommand } from "../../../src/cli/base-command.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { tenantView } from "../../../src/cli/resources/tenant.js";
import { TenantService } from "../../../src/gen/metalstack/admin/v2/tenant_pb.js";
import type { Tenant } from "../../../src/gen/metalstack/api/v2/tenant_pb.js";

/** AdminTenantCreate creates a tenant for an existing user, who becomes its owner (operators). */
export default class AdminTenantCreate extends MetalCommand<Tenant> {
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

  async run(): Promise<Tenant> {
    const { flags } = await this.parse(AdminTenantCreate);
    const res = await this.deps.client(TenantService).create({
      owner: flags.owner,
      name: flags.name,
      id: flags.id ?? "",
      description: flags.description ?? "",
      email: flags.email ?? "",
    });
    return res.tenant!;
  }

  protected override present(item: Tenant): Printable<Tenant> {
    return { view: tenantView, items: [item], list: false };
  }
}
