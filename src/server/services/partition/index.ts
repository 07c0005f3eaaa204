import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type PartitionService,
  PartitionServiceGetResponseSchema,
  PartitionServiceListResponseSchema,
} from "../../../gen/metalstack/api/v2/partition_pb.js";
import { getPartition, listPartitions } from "../../catalog/partitions.js";
import type { AppContext } from "../../context.js";

/** partitionService lets any logged-in caller read the global partitions. */
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
  };
}
