import { oidcClient } from "../../../src/cli/resources/oidc-client.js";
import { listCommand } from "../../../src/cli/verbs/list.js";

/** admin oidc-client list: the OIDC clients of the embedded identity provider. */
export default listCommand(oidcClient, { summary: "List OIDC clients.", aliases: ["admin oidc-client ls"] });
