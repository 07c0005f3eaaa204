import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import { type IPService, IPServiceListResponseSchema } from "../../../../gen/metalstack/admin/v2/ip_pb.js";
import type { AppContext } from "../../../context.js";
import { listIpPage } from "../../../ipam/ips.js";

/** adminIpService lets operators list every project's IPs, a page at a time. */
export function adminIpService(ctx: AppContext): Partial<ServiceImpl<typeof IPService>> {
  return {
    async list(req) {
      const page = await listIpPage(
        ctx.db.kysely,
        { project: req.project, networkId: req.network, address: req.ip, machineId: req.machineId },
        req.paging,
      );
      return create(IPServiceListResponseSchema, page);
    },
  };
}
