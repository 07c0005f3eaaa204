import { powerCommand } from "../../../src/cli/resources/machine-commands.js";

/** machine power cycle ID */
export default powerCommand("cycle");
