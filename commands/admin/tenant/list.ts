import { Flags } from "@oclif/core";
import { adminTenants } from "../../../src/cli/resources/tenant.js";
import { listCommand } from "../../../src/cli/verbs/list.js";

/** admin tenant list: every tenant (operators). */
export default listCommand(adminTenants, {
  summary: "List all tenants (operators).",
  aliases: ["admin tenant ls"],
  flags: {
    name: Flags.string({ summary: "Only tenants with this name." }),
  },
});
