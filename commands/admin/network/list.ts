import { Flags } from "@oclif/core";
import { completeFrom } from "../../../src/cli/completion/source.js";
import { adminNetworks } from "../../../src/cli/resources/network.js";
import { partition } from "../../../src/cli/resources/partition.js";
import { project } from "../../../src/cli/resources/project.js";
import { listCommand } from "../../../src/cli/verbs/list.js";

/** admin network list: all networks as a tree, base networks with every project's children (operators). */
export default listCommand(adminNetworks, {
  summary: "List all networks (operators).",
  aliases: ["admin network ls"],
  flags: {
    project: Flags.string({ summary: "Only networks of this project.", ...completeFrom(project.ref) }),
    partition: Flags.string({ summary: "Only networks in this partition.", ...completeFrom(partition.ref) }),
  },
});
