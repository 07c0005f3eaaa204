import { filesystem } from "../../src/cli/resources/filesystem.js";
import { describeCommand } from "../../src/cli/verbs/describe.js";

/** filesystem describe ID: one filesystem layout. */
export default describeCommand(filesystem, {
  summary: "Show one filesystem layout.",
  aliases: ["filesystem get"],
});
