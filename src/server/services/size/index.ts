import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type SizeService,
  SizeServiceGetResponseSchema,
  SizeServiceListResponseSchema,
} from "../../../gen/metalstack/api/v2/size_pb.js";
import { getSize, listSizes } from "../../catalog/sizes.js";
import type { AppContext } from "../../context.js";

/** sizeService lets any logged-in caller read the global machine sizes. */
export function sizeService(ctx: AppContext): Partial<ServiceImpl<typeof SizeService>> {
  return {
    async get(req) {
      return create(SizeServiceGetResponseSchema, { size: await getSize(ctx.db.kysely, req.id) });
    },
    async list() {
      return create(SizeServiceListResponseSchema, { sizes: await listSizes(ctx.db.kysely) });
    },
  };
}
