import {
  type OidcClient,
  OidcClientSchema,
  OidcClientService,
} from "../../gen/metalstack/admin/v2/oidc_client_pb.js";
import { age } from "../output/time.js";
import { date, protoView } from "./common.js";
import { completionOf, type Deletes, type Lists, type Ref } from "./resource.js";

/** oidcClientView shows the OIDC clients registered with the embedded identity provider. */
export const oidcClientView = protoView(OidcClientSchema, [
  { header: "ID", value: (c: OidcClient) => c.id },
  { header: "Name", value: (c: OidcClient) => c.name },
  { header: "Public", value: (c: OidcClient) => (c.public ? "yes" : "") },
  { header: "Redirect URIs", value: (c: OidcClient) => c.redirectUris.join(",") },
  {
    header: "Age",
    value: (c: OidcClient, now: Date) => age(date(c.createdAt), now),
    sortKey: (c: OidcClient) => date(c.createdAt)?.getTime() ?? 0,
    wide: true,
  },
]);

/** oidcClient is the OIDC clients registered with the embedded identity provider, named by client ID. */
export const oidcClient: Lists<OidcClient> & Deletes<OidcClient> & { ref: Ref<OidcClient> } = {
  scope: "server",
  noun: "OIDC client",
  view: oidcClientView,
  ref: {
    kind: "oidc-client",
    scope: "server",
    arg: "id",
    description: "Client ID.",
    candidate: (c) => ({ value: c.id, description: c.name }),
  },
  list: async (deps) => (await deps.client(OidcClientService).list({})).clients,
  delete: async (deps, _project, id) => (await deps.client(OidcClientService).delete({ id })).client!,
};

/** completion offers the OIDC client IDs. */
export const completion = completionOf(oidcClient);
