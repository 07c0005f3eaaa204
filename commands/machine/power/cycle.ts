import { powerCommand } from "../../../src/cli/verbs/machine-operation.js";

/** machine power cycle ID */
export default powerCommand("cycle");
