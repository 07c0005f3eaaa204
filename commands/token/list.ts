import { token } from "../../src/cli/resources/token.js";
import { listCommand } from "../../src/cli/verbs/list.js";

/** token list: the caller's active tokens. */
export default listCommand(token, {
  summary: "List your active tokens (login sessions and API tokens).",
  examples: ["<%= config.bin %> token list", "<%= config.bin %> token list -o wide --sort-by expires"],
});
