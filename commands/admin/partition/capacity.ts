import { capacityCommand } from "../../../src/cli/verbs/capacity.js";

/** admin partition capacity [PARTITION]: machines per partition and size by every state (operators). */
export default capacityCommand(true, {
  summary: "Show machines per partition and size: free, allocated, reserved, locked, faulty (operators).",
  description:
    "Reserved, locked and faulty may overlap each other and allocated; -o wide names those machines.",
  examples: ["<%= config.bin %> admin partition capacity -o wide"],
});
