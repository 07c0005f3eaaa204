import { partition } from "../../src/cli/resources/partition.js";
import { describeCommand } from "../../src/cli/verbs/describe.js";

/** partition describe ID: one partition. */
export default describeCommand(partition, { summary: "Show one partition.", aliases: ["partition get"] });
