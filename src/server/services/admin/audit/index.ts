import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type AuditService,
  AuditServiceGetResponseSchema,
  AuditServiceListResponseSchema,
  AuditServiceWatchResponseSchema,
} from "../../../../gen/metalstack/admin/v2/audit_pb.js";
import { createAuditTrail } from "../../../audit/audit-trail.js";
import type { AppContext } from "../../../context.js";

/** adminAuditService serves the whole audit trail to operators, optionally narrowed to one tenant. */
export function adminAuditService(ctx: AppContext): Partial<ServiceImpl<typeof AuditService>> {
  const trail = createAuditTrail(ctx);
  return {
    async list(req) {
      return create(AuditServiceListResponseSchema, await trail.list(req.tenant, req.query, req.paging));
    },
    async get(req) {
      return create(AuditServiceGetResponseSchema, { entry: await trail.get("", req.id) });
    },
    async *watch(req, context) {
      for await (const entry of trail.watch(req.tenant, req.query, context.signal)) {
        yield create(AuditServiceWatchResponseSchema, { entry });
      }
    },
  };
}
