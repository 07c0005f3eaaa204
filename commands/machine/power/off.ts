import { powerCommand } from "../../../src/cli/verbs/machine-operation.js";

/** machine power off ID */
export default powerCommand("off");
