import { ip } from "../../src/cli/resources/ip.js";
import { editCommand } from "../../src/cli/verbs/edit.js";

/** ip edit: change an IP in $EDITOR; only the changed fields are sent. */
export default editCommand(ip, {
  summary: "Edit an IP address's name, description, type or labels in your editor.",
  examples: ["EDITOR=nano <%= config.bin %> ip edit 2f6c…"],
});
