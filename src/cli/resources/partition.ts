import {
  type Partition,
  PartitionSchema,
  PartitionService,
} from "../../gen/metalstack/api/v2/partition_pb.js";
import { protoView, showLabels } from "./common.js";
import { completionOf, type Gets, type Lists, type Ref } from "./resource.js";

/** partitionView shows partitions (failure domains) and, wide, their boot configuration. */
export const partitionView = protoView(PartitionSchema, [
  { header: "ID", value: (p: Partition) => p.id },
  { header: "Description", value: (p: Partition) => p.description },
  { header: "Image URL", value: (p: Partition) => p.bootConfiguration?.imageUrl ?? "", wide: true },
  { header: "Kernel URL", value: (p: Partition) => p.bootConfiguration?.kernelUrl ?? "", wide: true },
  { header: "Labels", value: (p: Partition) => showLabels(p.meta?.labels), wide: true },
]);

/** partition is the partitions (failure domains) of the API server, named by ID. */
export const partition: Lists<Partition> & Gets<Partition> & { ref: Ref<Partition> } = {
  scope: "server",
  noun: "partition",
  view: partitionView,
  ref: {
    kind: "partition",
    scope: "server",
    arg: "id",
    description: "ID.",
    candidate: (p) => ({ value: p.id, description: p.description }),
  },
  list: async (deps) => (await deps.client(PartitionService).list({})).partitions,
  get: async (deps, _project, id) => (await deps.client(PartitionService).get({ id })).partition!,
};

/** completion offers the partition IDs. */
export const completion = completionOf(partition);
