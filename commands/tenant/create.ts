import { Flags } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { requireFlags } from "../../src/cli/resources/common.js";
import { tenantCreateRequest, tenantView } from "../../src/cli/resources/tenant.js";
import { type Tenant, TenantService } from "../../src/gen/metalstack/api/v2/tenant_pb.js";

/** TenantCreate creates a tenant owned by the caller. */
export default class TenantCreate extends MetalCommand<Tenant> {
  static override summary = "Create a tenant you own.";
  static override flags = {
    id: Flags.string({ summary: "Tenant ID (default: chosen by the server)." }),
    name: Flags.string({ summary: "Name." }),
    description: Flags.string({ summary: "Description." }),
    email: Flags.string({ summary: "Contact email." }),
    labels: Flags.string({ summary: "Labels key=value.", multiple: true }),
  };

  async run(): Promise<Tenant> {
    const { flags } = await this.parse(TenantCreate);
    requireFlags(flags.name ? [] : ["name"], "tenant create");
    return (await this.deps.client(TenantService).create(tenantCreateRequest(flags))).tenant!;
  }

  protected override present(t: Tenant): Printable<Tenant> {
    return { view: tenantView, items: [t], list: false };
  }
}
