import { adminSize } from "../../../src/cli/resources/admin-size.js";
import { deleteCommand } from "../../../src/cli/verbs/delete.js";

/** admin size delete ID: deletes a global size after a confirmation (or --yes). */
export default deleteCommand(adminSize, {
  summary: "Delete a global size (operators; asks unless --yes).",
  aliases: ["admin size rm"],
  question: (id) => `delete size ${id}`,
});
