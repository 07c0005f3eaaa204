import { Flags } from "@oclif/core";
import { completeFrom } from "../../../src/cli/completion/source.js";
import { adminFilesystems } from "../../../src/cli/resources/filesystem.js";
import { project } from "../../../src/cli/resources/project.js";
import { listCommand } from "../../../src/cli/verbs/list.js";

/** admin filesystem list: every filesystem of all projects and the global ones (operators). */
export default listCommand(adminFilesystems, {
  summary: "List all filesystems (operators).",
  aliases: ["admin filesystem ls"],
  flags: {
    project: Flags.string({ summary: "Only layouts of this project.", ...completeFrom(project.ref) }),
  },
});
