import { bootCommand } from "../../../src/cli/resources/machine-commands.js";

/** machine boot pxe ID */
export default bootCommand("pxe");
