import { identifyCommand } from "../../../src/cli/verbs/machine-operation.js";

/** machine identify on ID */
export default identifyCommand("on");
