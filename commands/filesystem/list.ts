import { filesystem } from "../../src/cli/resources/filesystem.js";
import { listCommand } from "../../src/cli/verbs/list.js";

/** filesystem list: the filesystem layouts the project may use. */
export default listCommand(filesystem, {
  summary: "List the filesystem layouts the project may use.",
  aliases: ["filesystem ls"],
});
