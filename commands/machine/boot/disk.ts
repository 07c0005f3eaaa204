import { bootCommand } from "../../../src/cli/resources/machine-commands.js";

/** machine boot disk ID */
export default bootCommand("disk");
