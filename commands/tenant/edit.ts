import { tenant } from "../../src/cli/resources/tenant.js";
import { editCommand } from "../../src/cli/verbs/edit.js";

/** tenant edit: change a tenant in $EDITOR; only the changed fields are sent. */
export default editCommand(tenant, {
  summary: "Edit a tenant's name, description, email or labels in your editor.",
  examples: ["<%= config.bin %> tenant edit acme"],
});
