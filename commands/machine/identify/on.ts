import { identifyCommand } from "../../../src/cli/resources/machine-commands.js";

/** machine identify on ID */
export default identifyCommand("on");
