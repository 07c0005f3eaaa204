import { powerCommand } from "../../../src/cli/resources/machine-commands.js";

/** machine power off ID */
export default powerCommand("off");
