import { adminFilesystem } from "../../../src/cli/resources/filesystem.js";
import { deleteCommand } from "../../../src/cli/verbs/delete.js";

/** admin filesystem delete ID: deletes a global filesystem after a confirmation (or --yes). */
export default deleteCommand(adminFilesystem, {
  summary: "Delete a global filesystem (operators; asks unless --yes).",
  aliases: ["admin filesystem rm"],
  question: (id) => `delete filesystem ${id}`,
});
