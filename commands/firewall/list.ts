import { firewall } from "../../src/cli/resources/firewall.js";
import { listCommand } from "../../src/cli/verbs/list.js";

/** firewall list: the project's firewalls. */
export default listCommand(firewall, {
  summary: "List the project's firewalls.",
  description: "-o wide adds the egress and ingress rules.",
  aliases: ["firewall ls"],
});
