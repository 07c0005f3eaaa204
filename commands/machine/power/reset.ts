import { powerCommand } from "../../../src/cli/verbs/machine-operation.js";

/** machine power reset ID */
export default powerCommand("reset");
