import { adminPartition } from "../../../src/cli/resources/admin-partition.js";
import { deleteCommand } from "../../../src/cli/verbs/delete.js";

/** admin partition delete ID: deletes a global partition after a confirmation (or --yes). */
export default deleteCommand(adminPartition, {
  summary: "Delete a global partition (operators; asks unless --yes).",
  aliases: ["admin partition rm"],
  question: (id) => `delete partition ${id}`,
});
