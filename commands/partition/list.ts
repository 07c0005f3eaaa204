import { partition } from "../../src/cli/resources/partition.js";
import { listCommand } from "../../src/cli/verbs/list.js";

/** partition list: the partitions (failure domains). */
export default listCommand(partition, {
  summary: "List the partitions (failure domains).",
  aliases: ["partition ls"],
});
