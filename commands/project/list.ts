import { Flags } from "@oclif/core";
import { completeFrom } from "../../src/cli/completion/source.js";
import { project } from "../../src/cli/resources/project.js";
import { tenant } from "../../src/cli/resources/tenant.js";
import { listCommand } from "../../src/cli/verbs/list.js";

/** project list: the projects the caller can use. */
export default listCommand(project, {
  summary: "List the projects you can use.",
  refs: { tenant },
  flags: {
    tenant: Flags.string({ summary: "Only projects of this tenant.", ...completeFrom(tenant.ref) }),
    name: Flags.string({ summary: "Only projects with this name." }),
  },
  examples: ["<%= config.bin %> project list", "<%= config.bin %> project list -o wide --sort-by name"],
});
