import { adminImage } from "../../../src/cli/resources/admin-image.js";
import { editCommand } from "../../../src/cli/verbs/edit.js";

/** admin image edit: change a global image in $EDITOR (operators). */
export default editCommand(adminImage, {
  summary:
    "Edit a global image's name, description, URL, features, classification, expiry or labels in your editor (operators).",
  examples: ["<%= config.bin %> admin image edit ubuntu-24.04"],
});
