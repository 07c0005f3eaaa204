import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type SizeService,
  SizeServiceCreateResponseSchema,
  SizeServiceDeleteResponseSchema,
  SizeServiceSuggestResponseSchema,
  SizeServiceUpdateResponseSchema,
} from "../../../../gen/metalstack/admin/v2/size_pb.js";
import { createSize, deleteSize, updateSize } from "../../../catalog/sizes.js";
import type { AppContext } from "../../../context.js";
import { suggestSize } from "../../../machines/size-suggest.js";

/** adminSizeService lets operators create, change and delete machine sizes. */
export function adminSizeService(ctx: AppContext): Partial<ServiceImpl<typeof SizeService>> {
  const db = ctx.db.kysely;
  return {
    async create(req) {
      const size = await db.transaction().execute((trx) => createSize(trx, req, ctx.now()));
      return create(SizeServiceCreateResponseSchema, { size });
    },
    async update(req) {
      const size = await db.transaction().execute((trx) =>
        updateSize(
          trx,
          req.id,
          {
            updateMeta: req.updateMeta,
            name: req.name,
            description: req.description,
            constraints: req.constraints,
            labels: req.labels,
          },
          ctx.now(),
        ),
      );
      return create(SizeServiceUpdateResponseSchema, { size });
    },
    async delete(req) {
      const size = await db.transaction().execute((trx) => deleteSize(trx, req.id));
      return create(SizeServiceDeleteResponseSchema, { size });
    },
    async suggest(req) {
      return create(SizeServiceSuggestResponseSchema, await suggestSize(db, req.machine, req.id, ctx.now()));
    },
  };
}
