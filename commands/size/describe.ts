import { size } from "../../src/cli/resources/size.js";
import { describeCommand } from "../../src/cli/verbs/describe.js";

/** size describe ID: one machine size. */
export default describeCommand(size, { summary: "Show one machine size.", aliases: ["size get"] });
