import { Flags } from "@oclif/core";
import { adminTokens } from "../../../src/cli/resources/token.js";
import { listCommand } from "../../../src/cli/verbs/list.js";

/** admin token list: every user's tokens (operators). */
export default listCommand(adminTokens, {
  summary: "List all tokens (operators).",
  aliases: ["admin token ls"],
  flags: {
    user: Flags.string({ summary: "Only tokens of this user." }),
  },
});
