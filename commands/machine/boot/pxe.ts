import { bootCommand } from "../../../src/cli/verbs/machine-operation.js";

/** machine boot pxe ID */
export default bootCommand("pxe");
