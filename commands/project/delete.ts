import { project } from "../../src/cli/resources/project.js";
import { deleteCommand } from "../../src/cli/verbs/delete.js";

/** project delete PROJECT: deletes a project after a confirmation (or --yes). */
export default deleteCommand(project, {
  summary: "Delete a project (asks unless --yes).",
  aliases: ["project rm"],
  question: (id) => `delete project ${id}`,
  deleted: (p, id) => `Deleted project ${p.name ? `${p.name} (${id})` : id}.`,
});
