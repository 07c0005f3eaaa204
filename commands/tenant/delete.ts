import { tenant } from "../../src/cli/resources/tenant.js";
import { deleteCommand } from "../../src/cli/verbs/delete.js";

/** tenant delete TENANT: deletes a tenant after a confirmation (or --yes). */
export default deleteCommand(tenant, {
  summary: "Delete a tenant (asks unless --yes).",
  aliases: ["tenant rm"],
  question: (id) => `delete tenant ${id}`,
  deleted: (_t, id) => `Deleted tenant ${id}.`,
});
