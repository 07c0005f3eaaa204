import { firewall } from "../../src/cli/resources/firewall.js";
import { deleteCommand } from "../../src/cli/verbs/delete.js";

/** firewall delete ID: frees a firewall's machine and drops its rules after a confirmation (or --yes). */
export default deleteCommand(firewall, {
  summary: "Free a firewall (asks for confirmation unless --yes).",
  aliases: ["firewall rm"],
  question: (id, project) => `free firewall ${id} in project ${project}`,
  deleted: (_f, id) => `Freed firewall ${id}.`,
});
