import { bootCommand } from "../../../src/cli/verbs/machine-operation.js";

/** machine boot bios ID */
export default bootCommand("bios");
