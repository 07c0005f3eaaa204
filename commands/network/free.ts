import { network } from "../../src/cli/resources/network.js";
import { deleteCommand } from "../../src/cli/verbs/delete.js";

/** network free ID: gives a child network back after a confirmation (or --yes). */
export default deleteCommand(network, {
  summary: "Free a child network of the project (asks unless --yes).",
  aliases: ["network delete", "network rm"],
  question: (id, project) => `free network ${id} of project ${project}`,
  deleted: (_r, id) => `Freed network ${id}.`,
});
