import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type TenantService,
  TenantServiceCreateResponseSchema,
  TenantServiceDeleteResponseSchema,
  TenantServiceGetResponseSchema,
  TenantServiceInviteAcceptResponseSchema,
  TenantServiceListResponseSchema,
  TenantServiceUpdateResponseSchema,
} from "../../../gen/metalstack/api/v2/tenant_pb.js";
import type { AppContext } from "../../context.js";
import { callerId } from "../../tenancy/caller.js";
import { tenantInviteMessage, tenantMemberMessage, tenantMessage } from "../../tenancy/convert.js";
import { tenantInvites } from "../../tenancy/invites.js";
import { memberRpcs } from "../../tenancy/member-rpcs.js";
import {
  createTenant,
  deleteTenant,
  getTenant,
  listTenantMembers,
  removeTenantMember,
  updateTenant,
  updateTenantMember,
} from "../../tenancy/tenants.js";
import { userRepo } from "../../tenancy/user-repo.js";
import { requireId } from "../../tenancy/validation.js";

/**
 * tenantService implements the tenant API. The authorize interceptor has checked the caller's role
 * on `req.tenant` before any tenant-scoped handler runs; handlers stay within that tenant.
 */
export function tenantService(ctx: AppContext): Partial<ServiceImpl<typeof TenantService>> {
  return {
    async create(req, context) {
      const tenant = await createTenant(ctx, callerId(context), {
        id: req.id,
        name: req.name,
        description: req.description,
        email: req.email,
        labels: req.labels,
      });
      return create(TenantServiceCreateResponseSchema, { tenant: tenantMessage(tenant) });
    },

    async get(req) {
      const tenant = await getTenant(ctx, requireId("tenant", req.tenant));
      return create(TenantServiceGetResponseSchema, { tenant: tenantMessage(tenant) });
    },

    async list(_req, context) {
      const tenants = await userRepo(ctx.db.kysely, callerId(context)).tenants();
      return create(TenantServiceListResponseSchema, { tenants: tenants.map(tenantMessage) });
    },

    async update(req) {
      const tenant = await updateTenant(
        ctx,
        requireId("tenant", req.tenant),
        Number(req.updateMeta?.generation ?? 0n),
        {
          name: req.name,
          description: req.description,
          email: req.email,
          labels: req.labels,
        },
      );
      return create(TenantServiceUpdateResponseSchema, { tenant: tenantMessage(tenant) });
    },

    async delete(req) {
      const tenant = await deleteTenant(ctx, requireId("tenant", req.tenant));
      return create(TenantServiceDeleteResponseSchema, { tenant: tenantMessage(tenant) });
    },

    ...memberRpcs(ctx, {
      invites: tenantInvites,
      get: getTenant,
      listMembers: listTenantMembers,
      updateMember: (ctx, tenant, user, role, context) =>
        updateTenantMember(ctx, tenant, user, role, callerId(context)),
      removeMember: removeTenantMember,
      memberMessage: tenantMemberMessage,
      inviteMessage: (invite, tenant) => tenantInviteMessage(invite, tenant.name),
      accepted: (tenant, role) =>
        create(TenantServiceInviteAcceptResponseSchema, { tenant: tenant.id, tenantName: tenant.name, role }),
    }),
  };
}
