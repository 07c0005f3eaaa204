import { firewall } from "../../src/cli/resources/firewall.js";
import { describeCommand } from "../../src/cli/verbs/describe.js";

/** firewall describe ID: one firewall (use -o yaml for all fields and rules). */
export default describeCommand(firewall, { summary: "Show one firewall.", aliases: ["firewall get"] });
