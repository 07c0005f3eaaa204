import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import { type IPService, IPServiceListResponseSchema } from "../../../../gen/metalstack/admin/v2/ip_pb.js";
import type { AppContext } from "../../../context.js";
import { listIps } from "../../../ipam/ips.js";

/** adminIpService lets operators list every project's IPs. */
export function adminIpService(ctx: AppContext): Partial<ServiceImpl<typeof IPService>> {
  return {
    async list(req) {
      const ips = await listIps(ctx.db.kysely, {
        project: req.project,
        networkId: req.network,
        address: req.ip,
        machineId: req.machineId,
      });
      return create(IPServiceListResponseSchema, { ips });
    },
  };
}
