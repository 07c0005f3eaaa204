import { machine } from "../../src/cli/resources/machine.js";
import { editCommand } from "../../src/cli/verbs/edit.js";

/** machine edit: change a machine's name, description, labels or SSH keys in $EDITOR. */
export default editCommand(machine, {
  summary: "Edit a machine's name, description, labels or SSH keys in your editor.",
  examples: ["<%= config.bin %> machine edit 0b0c6d3e-…"],
});
