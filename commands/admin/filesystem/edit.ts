import { adminFilesystem } from "../../../src/cli/resources/filesystem.js";
import { editCommand } from "../../../src/cli/verbs/edit.js";

/** admin filesystem edit: change a global filesystem layout in $EDITOR (operators). */
export default editCommand(adminFilesystem, {
  summary: "Edit a global filesystem layout in your editor (operators).",
  examples: ["<%= config.bin %> admin filesystem edit default"],
});
