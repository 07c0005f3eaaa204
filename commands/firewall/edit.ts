import { firewall } from "../../src/cli/resources/firewall.js";
import { editCommand } from "../../src/cli/verbs/edit.js";

/** firewall edit: change a firewall's rules in $EDITOR, guarded by the rules generation. */
export default editCommand(firewall, {
  summary: "Edit a firewall's egress and ingress rules in your editor.",
  examples: ["<%= config.bin %> firewall edit 0a1b2c3d-…"],
});
