import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type NetworkService,
  NetworkServiceCreateResponseSchema,
  NetworkServiceDeleteResponseSchema,
  NetworkServiceGetResponseSchema,
  NetworkServiceListResponseSchema,
  NetworkServiceUpdateResponseSchema,
} from "../../../gen/metalstack/api/v2/network_pb.js";
import type { AppContext } from "../../context.js";
import {
  allocateChildNetwork,
  deleteChildNetwork,
  getNetworkForProject,
  listNetworksForProject,
  updateChildNetwork,
} from "../../ipam/networks.js";

/**
 * networkService shows a project the base networks it may use and manages its child networks; every
 * query is scoped by `req.project`, which authorization has checked.
 */
export function networkService(ctx: AppContext): Partial<ServiceImpl<typeof NetworkService>> {
  const db = ctx.db.kysely;
  return {
    async get(req) {
      return create(NetworkServiceGetResponseSchema, {
        network: await getNetworkForProject(db, req.project, req.id),
      });
    },
    async list(req) {
      const page = await listNetworksForProject(
        db,
        ctx.db.dialect,
        req.project,
        { type: req.type, partition: req.partition, name: req.name, prefix: req.prefix, labels: req.labels },
        req.paging,
      );
      return create(NetworkServiceListResponseSchema, page);
    },
    async create(req) {
      const network = await db.transaction().execute((trx) =>
        allocateChildNetwork(
          trx,
          {
            project: req.project,
            parentNetworkId: req.parentNetworkId,
            partition: req.partition,
            name: req.name,
            description: req.description,
            labels: req.labels,
            length: req.length,
            addressFamily: req.addressFamily,
          },
          ctx.now(),
        ),
      );
      return create(NetworkServiceCreateResponseSchema, { network });
    },
    async update(req) {
      const network = await db
        .transaction()
        .execute((trx) =>
          updateChildNetwork(
            trx,
            req.project,
            req.id,
            { updateMeta: req.updateMeta, name: req.name, description: req.description, labels: req.labels },
            ctx.now(),
          ),
        );
      return create(NetworkServiceUpdateResponseSchema, { network });
    },
    async delete(req) {
      const network = await db.transaction().execute((trx) => deleteChildNetwork(trx, req.project, req.id));
      return create(NetworkServiceDeleteResponseSchema, { network });
    },
  };
}
