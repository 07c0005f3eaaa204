import { powerCommand } from "../../../src/cli/verbs/machine-operation.js";

/** machine power on ID */
export default powerCommand("on");
