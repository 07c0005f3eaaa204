import { oidcClient } from "../../../src/cli/resources/oidc-client.js";
import { deleteCommand } from "../../../src/cli/verbs/delete.js";

/** admin oidc-client delete ID: removes an OIDC client after a confirmation (or --yes). */
export default deleteCommand(oidcClient, {
  summary: "Delete an OIDC client (asks unless --yes).",
  aliases: ["admin oidc-client rm"],
  question: (id) => `delete OIDC client ${id}`,
});
