import { identifyCommand } from "../../../src/cli/resources/machine-commands.js";

/** machine identify off ID */
export default identifyCommand("off");
