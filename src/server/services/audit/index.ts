import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type AuditService,
  AuditServiceGetResponseSchema,
  AuditServiceListResponseSchema,
  AuditServiceWatchResponseSchema,
} from "../../../gen/metalstack/api/v2/audit_pb.js";
import { createAuditTrail } from "../../audit/audit-trail.js";
import type { AppContext } from "../../context.js";

/**
 * auditService serves a tenant's audit trail to its owners. The authorize interceptor has checked the
 * caller's role on `req.tenant`; every query is confined to rows about that tenant and its projects.
 */
export function auditService(ctx: AppContext): Partial<ServiceImpl<typeof AuditService>> {
  const trail = createAuditTrail(ctx);
  return {
    async list(req) {
      return create(AuditServiceListResponseSchema, await trail.list(req.tenant, req.query, req.paging));
    },
    async get(req) {
      return create(AuditServiceGetResponseSchema, { entry: await trail.get(req.tenant, req.id) });
    },
    async *watch(req, context) {
      for await (const entry of trail.watch(req.tenant, req.query, context.signal)) {
        yield create(AuditServiceWatchResponseSchema, { entry });
      }
    },
  };
}
