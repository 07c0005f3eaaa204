import { Flags } from "@oclif/core";
import { completeFrom } from "../../src/cli/completion/source.js";
import { enumKeys } from "../../src/cli/resources/common.js";
import { ip } from "../../src/cli/resources/ip.js";
import { machine } from "../../src/cli/resources/machine.js";
import { network } from "../../src/cli/resources/network.js";
import { listCommand } from "../../src/cli/verbs/list.js";
import { IPTypeSchema } from "../../src/gen/metalstack/api/v2/ip_pb.js";

/** ip list: the project's IP addresses, filtered on the server. */
export default listCommand(ip, {
  summary: "List the project's IP addresses.",
  aliases: ["ip ls"],
  refs: { network, machine },
  flags: {
    network: Flags.string({ summary: "Only addresses of this network.", ...completeFrom(network.ref) }),
    ip: Flags.string({ summary: "Only this address." }),
    type: Flags.string({ summary: "Only addresses of this type.", options: enumKeys(IPTypeSchema) }),
    machine: Flags.string({ summary: "Only addresses of this machine.", ...completeFrom(machine.ref) }),
    name: Flags.string({ summary: "Only addresses with this name." }),
  },
});
