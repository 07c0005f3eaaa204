import { size } from "../../src/cli/resources/size.js";
import { listCommand } from "../../src/cli/verbs/list.js";

/** size list: the machine sizes. */
export default listCommand(size, { summary: "List the machine sizes.", aliases: ["size ls"] });
