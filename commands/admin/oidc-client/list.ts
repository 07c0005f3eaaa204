import { MetalCommand } from "../../../src/cli/base-command.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { oidcClientView } from "../../../src/cli/resources/oidc-client.js";
import { type OidcClient, OidcClientService } from "../../../src/gen/metalstack/admin/v2/oidc_client_pb.js";

/** AdminOidcClientList lists the OIDC clients of the embedded identity provider. */
export default class AdminOidcClientList extends MetalCommand<OidcClient[]> {
  static override summary = "List OIDC clients.";
  static override aliases = ["admin oidc-client ls"];

  async run(): Promise<OidcClient[]> {
    await this.parse(AdminOidcClientList);
    return (await this.deps.client(OidcClientService).list({})).clients;
  }

  protected override present(items: OidcClient[]): Printable<OidcClient> {
    return { view: oidcClientView, items, list: true };
  }
}
