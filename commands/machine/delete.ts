import { machine } from "../../src/cli/resources/machine.js";
import { deleteCommand } from "../../src/cli/verbs/delete.js";

/** machine delete ID: frees a machine after a confirmation (or --yes); its ephemeral IPs are released. */
export default deleteCommand(machine, {
  summary: "Free a machine (asks for confirmation unless --yes).",
  aliases: ["machine rm"],
  question: (id, project) => `free machine ${id} in project ${project}`,
  deleted: (_m, id) => `Freed machine ${id}.`,
});
