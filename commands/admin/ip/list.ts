import { Flags } from "@oclif/core";
import { completeFrom } from "../../../src/cli/completion/source.js";
import { adminIp } from "../../../src/cli/resources/ip.js";
import { network } from "../../../src/cli/resources/network.js";
import { project } from "../../../src/cli/resources/project.js";
import { listCommand } from "../../../src/cli/verbs/list.js";

/** admin ip list: every IP address of all projects (operators). */
export default listCommand(adminIp, {
  summary: "List all ips (operators).",
  aliases: ["admin ip ls"],
  flags: {
    project: Flags.string({ summary: "Only addresses of this project.", ...completeFrom(project.ref) }),
    network: Flags.string({ summary: "Only addresses of this network.", ...completeFrom(network.ref) }),
  },
});
