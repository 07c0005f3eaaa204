import { image } from "../../src/cli/resources/image.js";
import { listCommand } from "../../src/cli/verbs/list.js";

/** image list: the OS images the project may use. */
export default listCommand(image, {
  summary: "List the OS images the project may use.",
  aliases: ["image ls"],
});
