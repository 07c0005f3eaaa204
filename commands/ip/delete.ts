import { ip } from "../../src/cli/resources/ip.js";
import { deleteCommand } from "../../src/cli/verbs/delete.js";

/** ip delete ID: releases an IP address after a confirmation (or --yes). */
export default deleteCommand(ip, {
  summary: "Release an IP address (asks unless --yes).",
  aliases: ["ip rm", "ip free"],
  question: (id, project) => `release IP ${id} of project ${project}`,
  deleted: (i, id) => `Released ${i.ip || id}.`,
});
