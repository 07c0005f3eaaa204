import { localUser } from "../../../src/cli/resources/admin-user.js";
import { listCommand } from "../../../src/cli/verbs/list.js";

/** admin user list: the local users of the embedded identity provider. */
export default listCommand(localUser, { summary: "List local users.", aliases: ["admin user ls"] });
