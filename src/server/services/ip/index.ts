import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type IPService,
  IPServiceCreateResponseSchema,
  IPServiceDeleteResponseSchema,
  IPServiceGetResponseSchema,
  IPServiceListResponseSchema,
  IPServiceUpdateResponseSchema,
} from "../../../gen/metalstack/api/v2/ip_pb.js";
import type { AppContext } from "../../context.js";
import { allocateIp, getIpForProject, listIpPage, releaseIp, updateIp } from "../../ipam/ips.js";

/**
 * ipService allocates, changes and releases a project's IPs; every query is scoped by
 * `req.project`, which authorization has checked.
 */
export function ipService(ctx: AppContext): Partial<ServiceImpl<typeof IPService>> {
  const db = ctx.db.kysely;
  return {
    async get(req) {
      return create(IPServiceGetResponseSchema, { ip: await getIpForProject(db, req.project, req.id) });
    },
    async list(req) {
      const page = await listIpPage(
        db,
        {
          project: req.project,
          networkId: req.network,
          address: req.ip,
          type: req.type,
          machineId: req.machineId,
          name: req.name,
        },
        req.paging,
      );
      return create(IPServiceListResponseSchema, page);
    },
    async create(req) {
      const ip = await db.transaction().execute((trx) =>
        allocateIp(trx, {
          project: req.project,
          networkId: req.network,
          address: req.ip,
          type: req.type,
          name: req.name,
          description: req.description,
          labels: req.labels,
          addressFamily: req.addressFamily,
          now: ctx.now(),
        }),
      );
      return create(IPServiceCreateResponseSchema, { ip });
    },
    async update(req) {
      const ip = await db.transaction().execute((trx) =>
        updateIp(trx, req.project, req.id, {
          updateMeta: req.updateMeta,
          name: req.name,
          description: req.description,
          type: req.type,
          labels: req.labels,
          now: ctx.now(),
        }),
      );
      return create(IPServiceUpdateResponseSchema, { ip });
    },
    async delete(req) {
      const ip = await db
        .transaction()
        .execute((trx) => releaseIp(trx, { project: req.project, id: req.id }));
      return create(IPServiceDeleteResponseSchema, { ip });
    },
  };
}
