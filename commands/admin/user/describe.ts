import { localUser } from "../../../src/cli/resources/admin-user.js";
import { describeCommand } from "../../../src/cli/verbs/describe.js";

/** admin user describe ID: one local user. */
export default describeCommand(localUser, { summary: "Show one local user." });
