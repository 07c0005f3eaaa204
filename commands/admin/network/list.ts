import { Flags } from "@oclif/core";
import { completeFrom } from "../../../src/cli/completion/source.js";
import { adminNetworks } from "../../../src/cli/resources/admin-network.js";
import { enumKeys } from "../../../src/cli/resources/common.js";
import { partition } from "../../../src/cli/resources/partition.js";
import { project } from "../../../src/cli/resources/project.js";
import { listCommand } from "../../../src/cli/verbs/list.js";
import { NetworkTypeSchema } from "../../../src/gen/metalstack/api/v2/network_pb.js";

/** admin network list: all networks as a tree, base networks with every project's children (operators). */
export default listCommand(adminNetworks, {
  summary: "List all networks (operators).",
  aliases: ["admin network ls"],
  refs: { partition },
  flags: {
    project: Flags.string({ summary: "Only networks of this project.", ...completeFrom(project.ref) }),
    partition: Flags.string({ summary: "Only networks in this partition.", ...completeFrom(partition.ref) }),
    type: Flags.string({ summary: "Only networks of this type.", options: enumKeys(NetworkTypeSchema) }),
    prefix: Flags.string({ summary: "Only the network holding this prefix, e.g. 10.0.0.0/24." }),
    label: Flags.string({
      summary: "Only networks with this label key=value (repeatable; all must match).",
      multiple: true,
    }),
  },
});
