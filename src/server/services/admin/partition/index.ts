import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type PartitionService,
  PartitionServiceCapacityResponseSchema,
  PartitionServiceCreateResponseSchema,
  PartitionServiceDeleteResponseSchema,
  PartitionServiceUpdateResponseSchema,
} from "../../../../gen/metalstack/admin/v2/partition_pb.js";
import { createPartition, deletePartition, updatePartition } from "../../../catalog/partitions.js";
import type { AppContext } from "../../../context.js";
import { partitionCapacity } from "../../../machines/capacity.js";

/** adminPartitionService lets operators create, change and delete partitions. */
export function adminPartitionService(ctx: AppContext): Partial<ServiceImpl<typeof PartitionService>> {
  const db = ctx.db.kysely;
  return {
    async create(req) {
      const partition = await db.transaction().execute((trx) => createPartition(trx, req, ctx.now()));
      return create(PartitionServiceCreateResponseSchema, { partition });
    },
    async update(req) {
      const partition = await db.transaction().execute((trx) =>
        updatePartition(
          trx,
          req.id,
          {
            updateMeta: req.updateMeta,
            description: req.description,
            bootConfiguration: req.bootConfiguration,
            labels: req.labels,
          },
          ctx.now(),
        ),
      );
      return create(PartitionServiceUpdateResponseSchema, { partition });
    },
    async delete(req) {
      const partition = await db.transaction().execute((trx) => deletePartition(trx, req.id));
      return create(PartitionServiceDeleteResponseSchema, { partition });
    },
    async capacity(req) {
      return create(PartitionServiceCapacityResponseSchema, {
        partitions: await partitionCapacity(db, req.id, ctx.now()),
      });
    },
  };
}
