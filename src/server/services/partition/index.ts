import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type PartitionService,
  PartitionServiceCapacityResponseSchema,
  PartitionServiceGetResponseSchema,
  PartitionServiceListResponseSchema,
} from "../../../gen/metalstack/api/v2/partition_pb.js";
import { getPartition, listPartitions } from "../../catalog/partitions.js";
import type { AppContext } from "../../context.js";
import { partitionCapacity } from "../../machines/capacity.js";

/** partitionService lets any logged-in caller read the global partitions and how many machines they hold. */
export function partitionService(ctx: AppContext): Partial<ServiceImpl<typeof PartitionService>> {
  return {
    async get(req) {
      return create(PartitionServiceGetResponseSchema, {
        partition: await getPartition(ctx.db.kysely, req.id),
      });
    },
    async list() {
      return create(PartitionServiceListResponseSchema, { partitions: await listPartitions(ctx.db.kysely) });
    },
    async capacity(req) {
      const partitions = await partitionCapacity(ctx.db.kysely, req.id, ctx.now());
      // Users see how many machines there are, not which ones are reserved, locked or broken.
      return create(PartitionServiceCapacityResponseSchema, {
        partitions: partitions.map((p) => ({
          partition: p.partition,
          sizes: p.sizes.map(({ size, total, free, allocated }) => ({ size, total, free, allocated })),
        })),
      });
    },
  };
}
