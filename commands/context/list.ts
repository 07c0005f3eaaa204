import { context } from "../../src/cli/resources/context.js";
import { listCommand } from "../../src/cli/verbs/list.js";

/** context list: the configured contexts, the current one marked. */
export default listCommand(context, {
  summary: "List contexts (API server, default project) and mark the current one.",
  examples: ["<%= config.bin %> context list", "<%= config.bin %> context list -o yaml"],
});
