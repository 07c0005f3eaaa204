import { image } from "../../src/cli/resources/image.js";
import { describeCommand } from "../../src/cli/verbs/describe.js";

/** image describe ID: one OS image. */
export default describeCommand(image, { summary: "Show one OS image.", aliases: ["image get"] });
