import { Args } from "@oclif/core";
import { MetalCommand } from "../../../src/cli/base-command.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { confirmDestructive, yesFlag } from "../../../src/cli/resources/common.js";
import { oidcClientView } from "../../../src/cli/resources/oidc-client.js";
import { type OidcClient, OidcClientService } from "../../../src/gen/metalstack/admin/v2/oidc_client_pb.js";

/** AdminOidcClientDelete removes an OIDC client after a confirmation (or --yes). */
export default class AdminOidcClientDelete extends MetalCommand<OidcClient> {
  static override summary = "Delete an OIDC client (asks unless --yes).";
  static override aliases = ["admin oidc-client rm"];
  static override args = { id: Args.string({ description: "Client ID.", required: true }) };
  static override flags = { ...yesFlag };

  async run(): Promise<OidcClient> {
    const { args, flags } = await this.parse(AdminOidcClientDelete);
    await confirmDestructive(this.deps, `delete OIDC client ${args.id}`, flags.yes);
    return (await this.deps.client(OidcClientService).delete({ id: args.id })).client!;
  }

  protected override present(c: OidcClient): Printable<OidcClient> {
    return { view: oidcClientView, items: [c], list: false };
  }
}
