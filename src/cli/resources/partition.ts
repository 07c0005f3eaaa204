import { type Partition, PartitionSchema } from "../../gen/metalstack/api/v2/partition_pb.js";
import { protoView, showLabels } from "./common.js";

/** partitionView shows partitions (failure domains) and, wide, their boot configuration. */
export const partitionView = protoView(PartitionSchema, [
  { header: "ID", value: (p: Partition) => p.id },
  { header: "Description", value: (p: Partition) => p.description },
  { header: "Image URL", value: (p: Partition) => p.bootConfiguration?.imageUrl ?? "", wide: true },
  { header: "Kernel URL", value: (p: Partition) => p.bootConfiguration?.kernelUrl ?? "", wide: true },
  { header: "Labels", value: (p: Partition) => showLabels(p.meta?.labels), wide: true },
]);
