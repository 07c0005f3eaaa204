import { toJson } from "@bufbuild/protobuf";
import { Args, Flags } from "@oclif/core";
import { MetalCommand } from "../../../src/cli/base-command.js";
import type { JsonValue } from "../../../src/cli/output/printer.js";
import { requireFlags, splitList } from "../../../src/cli/resources/common.js";
import { OidcClientSchema, OidcClientService } from "../../../src/gen/metalstack/admin/v2/oidc_client_pb.js";

/** AdminOidcClientCreate registers an OIDC client; a confidential client's secret is printed once. */
export default class AdminOidcClientCreate extends MetalCommand<typeof AdminOidcClientCreate> {
  static override summary = "Register an OIDC client (prints a confidential client's secret once).";
  static override args = { id: Args.string({ description: "Client ID.", required: true }) };
  static override flags = {
    name: Flags.string({ summary: "Display name." }),
    "redirect-uri": Flags.string({ summary: "Allowed redirect URI (repeatable).", multiple: true }),
    public: Flags.boolean({ summary: "A public client (no secret, PKCE only)." }),
  };

  async run(): Promise<void> {
    const { args, flags } = this;
    const redirectUris = splitList(flags["redirect-uri"]);
    requireFlags(redirectUris.length ? [] : ["redirect-uri"], "admin oidc-client create");
    const res = await this.deps.client(OidcClientService).create({
      id: args.id,
      name: flags.name ?? "",
      redirectUris,
      public: flags.public ?? false,
    });
    const client = toJson(OidcClientSchema, res.client!) as JsonValue;
    if (res.clientSecret)
      this.note("The client secret is shown only now; store it in the client's configuration.");
    this.print({
      json: { client, clientSecret: res.clientSecret },
      text: () => (res.clientSecret ? `${res.clientSecret}\n` : `Registered public client ${args.id}.\n`),
    });
  }
}
