import { adminPartition } from "../../../src/cli/resources/admin-partition.js";
import { editCommand } from "../../../src/cli/verbs/edit.js";

/** admin partition edit: change a partition in $EDITOR (operators). */
export default editCommand(adminPartition, {
  summary: "Edit a partition's description, boot configuration or labels in your editor (operators).",
  examples: ["<%= config.bin %> admin partition edit fra-equ01"],
});
