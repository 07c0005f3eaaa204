import { adminNetwork } from "../../../src/cli/resources/admin-network.js";
import { editCommand } from "../../../src/cli/verbs/edit.js";

/** admin network edit: change a base network in $EDITOR (operators). */
export default editCommand(adminNetwork, {
  summary:
    "Edit a base network's name, description, destination prefixes, child prefix length, NAT or labels in your editor (operators).",
  examples: ["<%= config.bin %> admin network edit internet"],
});
