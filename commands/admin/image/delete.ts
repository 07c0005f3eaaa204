import { adminImage } from "../../../src/cli/resources/admin-image.js";
import { deleteCommand } from "../../../src/cli/verbs/delete.js";

/** admin image delete ID: deletes a global image after a confirmation (or --yes). */
export default deleteCommand(adminImage, {
  summary: "Delete a global image (operators; asks unless --yes).",
  aliases: ["admin image rm"],
  question: (id) => `delete image ${id}`,
});
