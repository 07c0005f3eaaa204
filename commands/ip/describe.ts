import { ip } from "../../src/cli/resources/ip.js";
import { describeCommand } from "../../src/cli/verbs/describe.js";

/** ip describe ID: one IP address of the project. */
export default describeCommand(ip, { summary: "Show one IP address.", aliases: ["ip get"] });
