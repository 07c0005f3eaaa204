import { type OidcClient, OidcClientSchema } from "../../gen/metalstack/admin/v2/oidc_client_pb.js";
import { age } from "../output/time.js";
import { date, protoView } from "./common.js";

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
