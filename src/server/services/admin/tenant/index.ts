import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type TenantService,
  TenantServiceCreateResponseSchema,
  TenantServiceListResponseSchema,
} from "../../../../gen/metalstack/admin/v2/tenant_pb.js";
import type { AppContext } from "../../../context.js";
import { listAllTenants } from "../../../tenancy/admin-lists.js";
import { tenantMessage } from "../../../tenancy/convert.js";
import { createTenant } from "../../../tenancy/tenants.js";
import { requireId } from "../../../tenancy/validation.js";

/** adminTenantService lets operators list every tenant and create tenants for a given owner. */
export function adminTenantService(ctx: AppContext): Partial<ServiceImpl<typeof TenantService>> {
  return {
    async list(req) {
      const page = await listAllTenants(ctx.db.kysely, { id: req.id, name: req.name }, req.paging);
      return create(TenantServiceListResponseSchema, {
        tenants: page.items.map(tenantMessage),
        nextPageToken: page.nextPageToken,
      });
    },

    async create(req) {
      const tenant = await createTenant(ctx, requireId("owner", req.owner), {
        id: req.id,
        name: req.name,
        description: req.description,
        email: req.email,
        labels: req.labels,
      });
      return create(TenantServiceCreateResponseSchema, { tenant: tenantMessage(tenant) });
    },
  };
}
