import { powerCommand } from "../../../src/cli/resources/machine-commands.js";

/** machine power reset ID */
export default powerCommand("reset");
