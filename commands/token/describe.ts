import { token } from "../../src/cli/resources/token.js";
import { describeCommand } from "../../src/cli/verbs/describe.js";

/** token describe ID: one of the caller's tokens with its grants. */
export default describeCommand(token, {
  summary: "Show one of your tokens and its grants.",
  examples: ["<%= config.bin %> token describe 0b1c… -o yaml"],
});
