import { bootCommand } from "../../../src/cli/resources/machine-commands.js";

/** machine boot bios ID */
export default bootCommand("bios");
