import { adminSize } from "../../../src/cli/resources/admin-size.js";
import { editCommand } from "../../../src/cli/verbs/edit.js";

/** admin size edit: change a size in $EDITOR (operators). */
export default editCommand(adminSize, {
  summary: "Edit a size's name, description, constraints or labels in your editor (operators).",
  examples: ["<%= config.bin %> admin size edit c1-small-x86"],
});
