import { project } from "../../src/cli/resources/project.js";
import { editCommand } from "../../src/cli/verbs/edit.js";

/** project edit: change a project in $EDITOR; only the changed fields are sent. */
export default editCommand(project, {
  summary: "Edit a project's name, description or labels in your editor.",
  examples: ["<%= config.bin %> project edit demo"],
});
