import { localUser } from "../../../src/cli/resources/admin-user.js";
import { deleteCommand } from "../../../src/cli/verbs/delete.js";

/** admin user delete ID: deletes a local user after a confirmation (or --yes). */
export default deleteCommand(localUser, {
  summary: "Delete a local user (asks unless --yes).",
  aliases: ["admin user rm"],
  question: (id) => `delete local user ${id}`,
  deleted: (_u, id) => `Deleted user ${id}.`,
});
