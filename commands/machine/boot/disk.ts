import { bootCommand } from "../../../src/cli/verbs/machine-operation.js";

/** machine boot disk ID */
export default bootCommand("disk");
