import { network } from "../../src/cli/resources/network.js";
import { describeCommand } from "../../src/cli/verbs/describe.js";

/** network describe ID: one network the project may see. */
export default describeCommand(network, { summary: "Show one network.", aliases: ["network get"] });
