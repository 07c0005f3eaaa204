import { adminImage } from "../../src/cli/resources/admin-image.js";
import { adminNetwork } from "../../src/cli/resources/admin-network.js";
import { adminPartition } from "../../src/cli/resources/admin-partition.js";
import { adminSize } from "../../src/cli/resources/admin-size.js";
import { adminFilesystem } from "../../src/cli/resources/filesystem.js";
import { applyCommand } from "../../src/cli/verbs/apply.js";

/** admin apply -f FILE: create or update partitions, sizes, images, filesystem layouts and base networks. */
export default applyCommand(
  [adminPartition, adminSize, adminImage, adminFilesystem, adminNetwork],
  "server",
  {
    summary:
      "Create or update partitions, sizes, images, filesystem layouts and base networks from a YAML file (operators).",
    description:
      "Each document (separated by ---) has a kind (partition, size, image, filesystem, network) and the item as " +
      "describe -o yaml prints it, with its id: what does not exist is created under that id, what exists gets only " +
      "the fields that differ, guarded by the generation read just before. One line per document says created, " +
      "updated or unchanged.",
    examples: ["<%= config.bin %> admin apply -f catalog.yaml --dry-run"],
  },
);
