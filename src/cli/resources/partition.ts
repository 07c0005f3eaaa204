import {
  PartitionService as AdminPartitionService,
  PartitionServiceCreateRequestSchema,
  PartitionServiceUpdateRequestSchema,
} from "../../gen/metalstack/admin/v2/partition_pb.js";
import {
  type Partition,
  PartitionSchema,
  PartitionService,
} from "../../gen/metalstack/api/v2/partition_pb.js";
import { protoView, showLabels } from "./common.js";
import { type Applies, completionOf, type Deletes, type Gets, type Lists, type Ref } from "./resource.js";

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

/** adminPartition is a partition as operators create, change and delete it. */
export const adminPartition: Deletes<Partition> &
  Applies<Partition, typeof PartitionServiceUpdateRequestSchema, typeof PartitionServiceCreateRequestSchema> =
  {
    scope: "server",
    noun: "partition",
    view: partitionView,
    ref: partition.ref,
    get: partition.get,
    update: async (deps, req) => (await deps.client(AdminPartitionService).update(req)).partition!,
    editShape: (_project, id) => ({ request: PartitionServiceUpdateRequestSchema, identity: { id } }),
    apply: {
      kind: "partition",
      schema: PartitionSchema,
      idPath: "id",
      createShape: () => ({ request: PartitionServiceCreateRequestSchema, identity: {} }),
    },
    create: async (deps, req) => (await deps.client(AdminPartitionService).create(req)).partition!,
    delete: async (deps, _project, id) =>
      (await deps.client(AdminPartitionService).delete({ id })).partition!,
  };
