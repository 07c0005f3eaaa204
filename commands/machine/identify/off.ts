import { identifyCommand } from "../../../src/cli/verbs/machine-operation.js";

/** machine identify off ID */
export default identifyCommand("off");
