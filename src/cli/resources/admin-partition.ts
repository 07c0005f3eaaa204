import {
  PartitionService as AdminPartitionService,
  PartitionServiceCreateRequestSchema,
  PartitionServiceUpdateRequestSchema,
} from "../../gen/metalstack/admin/v2/partition_pb.js";
import { type Partition, PartitionSchema } from "../../gen/metalstack/api/v2/partition_pb.js";
import { partition, partitionView } from "./partition.js";
import type { Applies, Deletes } from "./resource.js";

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
