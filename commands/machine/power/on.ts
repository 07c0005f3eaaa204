import { powerCommand } from "../../../src/cli/resources/machine-commands.js";

/** machine power on ID */
export default powerCommand("on");
