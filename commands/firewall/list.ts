import { firewall } from "../../src/cli/resources/firewall.js";
import {
  machineFilterFlags,
  machineFilterRefs,
  networkRef,
} from "../../src/cli/resources/machine-filters.js";
import { listCommand } from "../../src/cli/verbs/list.js";

/** firewall list: the project's firewalls, filtered on the server by their machines. */
export default listCommand(firewall, {
  summary: "List the project's firewalls.",
  description: "-o wide adds the egress and ingress rules. The filters are those of machine list.",
  aliases: ["firewall ls"],
  examples: ["<%= config.bin %> firewall list --partition fra-1 --label env=prod"],
  flags: machineFilterFlags,
  refs: { ...machineFilterRefs, network: networkRef },
});
