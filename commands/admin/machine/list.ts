import { Flags } from "@oclif/core";
import { completeFrom } from "../../../src/cli/completion/source.js";
import { adminMachines } from "../../../src/cli/resources/admin-machine.js";
import { machineFilterFlags, machineFilterRefs } from "../../../src/cli/resources/machine-filters.js";
import { project } from "../../../src/cli/resources/project.js";
import { listCommand } from "../../../src/cli/verbs/list.js";

/** admin machine list: every machine of all projects and tenants, free ones too (operators). */
export default listCommand(adminMachines, {
  summary: "List all machines (operators); -o wide adds rack and BMC address.",
  aliases: ["admin machine ls"],
  examples: ["<%= config.bin %> admin machine list --tenant acme --state locked"],
  refs: machineFilterRefs,
  flags: {
    ...machineFilterFlags,
    project: Flags.string({ summary: "Only machines of this project.", ...completeFrom(project.ref) }),
    tenant: Flags.string({ summary: "Only machines of this tenant's projects." }),
  },
});
