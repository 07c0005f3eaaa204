import { Flags } from "@oclif/core";
import { completeFrom } from "../../src/cli/completion/source.js";
import { enumKeys } from "../../src/cli/resources/common.js";
import { network } from "../../src/cli/resources/network.js";
import { partition } from "../../src/cli/resources/partition.js";
import { listCommand } from "../../src/cli/verbs/list.js";
import { NetworkTypeSchema } from "../../src/gen/metalstack/api/v2/network_pb.js";

/** network list: the base networks the project may use, with the project's child networks beneath them. */
export default listCommand(network, {
  summary: "List networks: base networks with the project's child networks beneath them.",
  aliases: ["network ls"],
  refs: { partition },
  flags: {
    name: Flags.string({ summary: "Only networks with this name." }),
    partition: Flags.string({ summary: "Only networks in this partition.", ...completeFrom(partition.ref) }),
    type: Flags.string({ summary: "Only networks of this type.", options: enumKeys(NetworkTypeSchema) }),
    prefix: Flags.string({ summary: "Only the network holding this prefix, e.g. 10.0.0.0/24." }),
    label: Flags.string({
      summary: "Only networks with this label key=value (repeatable; all must match).",
      multiple: true,
    }),
  },
});
