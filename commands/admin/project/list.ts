import { Flags } from "@oclif/core";
import { completeFrom } from "../../../src/cli/completion/source.js";
import { adminProjects } from "../../../src/cli/resources/project.js";
import { tenant } from "../../../src/cli/resources/tenant.js";
import { listCommand } from "../../../src/cli/verbs/list.js";

/** admin project list: every project of all tenants (operators). */
export default listCommand(adminProjects, {
  summary: "List all projects (operators).",
  aliases: ["admin project ls"],
  flags: {
    tenant: Flags.string({ summary: "Only projects of this tenant.", ...completeFrom(tenant.ref) }),
  },
});
