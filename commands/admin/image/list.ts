import { Flags } from "@oclif/core";
import { completeFrom } from "../../../src/cli/completion/source.js";
import { adminImages } from "../../../src/cli/resources/admin-image.js";
import { project } from "../../../src/cli/resources/project.js";
import { listCommand } from "../../../src/cli/verbs/list.js";

/** admin image list: every image of all projects and the global ones (operators). */
export default listCommand(adminImages, {
  summary: "List all images (operators).",
  aliases: ["admin image ls"],
  flags: {
    project: Flags.string({ summary: "Only images of this project.", ...completeFrom(project.ref) }),
    os: Flags.string({ summary: "Only images of this OS." }),
  },
});
