import { capacityCommand } from "../../src/cli/verbs/capacity.js";

/** partition capacity [PARTITION]: machines per partition and size, how many are free and allocated. */
export default capacityCommand(false, {
  summary: "Show how many machines of each size a partition has, and how many are free.",
  examples: ["<%= config.bin %> partition capacity", "<%= config.bin %> partition capacity fra-equ01"],
});
