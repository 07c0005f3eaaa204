import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type NetworkService,
  NetworkServiceCreateResponseSchema,
  NetworkServiceDeleteResponseSchema,
  NetworkServiceGetResponseSchema,
  NetworkServiceListResponseSchema,
  NetworkServiceUpdateResponseSchema,
} from "../../../../gen/metalstack/admin/v2/network_pb.js";
import type { AppContext } from "../../../context.js";
import {
  createBaseNetwork,
  deleteBaseNetwork,
  getNetwork,
  listNetworks,
  updateBaseNetwork,
} from "../../../ipam/networks.js";

/** adminNetworkService lets operators manage base networks and see every network. */
export function adminNetworkService(ctx: AppContext): Partial<ServiceImpl<typeof NetworkService>> {
  const db = ctx.db.kysely;
  return {
    async get(req) {
      return create(NetworkServiceGetResponseSchema, { network: await getNetwork(db, req.id) });
    },
    async list(req) {
      const page = await listNetworks(
        db,
        ctx.db.dialect,
        {
          project: req.project,
          type: req.type,
          partition: req.partition,
          parentNetworkId: req.parentNetworkId,
          prefix: req.prefix,
          labels: req.labels,
        },
        req.paging,
      );
      return create(NetworkServiceListResponseSchema, page);
    },
    async create(req) {
      const network = await db.transaction().execute((trx) => createBaseNetwork(trx, req, ctx.now()));
      return create(NetworkServiceCreateResponseSchema, { network });
    },
    async update(req) {
      const network = await db.transaction().execute((trx) =>
        updateBaseNetwork(
          trx,
          req.id,
          {
            updateMeta: req.updateMeta,
            name: req.name,
            description: req.description,
            labels: req.labels,
            destinationPrefixes: req.destinationPrefixes,
            defaultChildPrefixLength: req.defaultChildPrefixLength,
            nat: req.nat,
          },
          ctx.now(),
        ),
      );
      return create(NetworkServiceUpdateResponseSchema, { network });
    },
    async delete(req) {
      const network = await db.transaction().execute((trx) => deleteBaseNetwork(trx, req.id));
      return create(NetworkServiceDeleteResponseSchema, { network });
    },
  };
}
