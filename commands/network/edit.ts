import { network } from "../../src/cli/resources/network.js";
import { editCommand } from "../../src/cli/verbs/edit.js";

/** network edit: change a child network in $EDITOR; only the changed fields are sent. */
export default editCommand(network, {
  summary: "Edit a network's name, description or labels in your editor.",
  examples: ["<%= config.bin %> network edit 3f2a…"],
});
