import { create } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import {
  type TenantService,
  TenantServiceCreateResponseSchema,
  TenantServiceDeleteResponseSchema,
  TenantServiceGetResponseSchema,
  TenantServiceInviteAcceptResponseSchema,
  TenantServiceInviteDeleteResponseSchema,
  TenantServiceInviteListResponseSchema,
  TenantServiceInviteResponseSchema,
  TenantServiceLeaveResponseSchema,
  TenantServiceListResponseSchema,
  TenantServiceMemberListResponseSchema,
  TenantServiceMemberRemoveResponseSchema,
  TenantServiceMemberUpdateResponseSchema,
  TenantServiceUpdateResponseSchema,
} from "../../../gen/metalstack/api/v2/tenant_pb.js";
import type { AppContext } from "../../context.js";
import { callerId } from "../../tenancy/caller.js";
import { tenantInviteMessage, tenantMemberMessage, tenantMessage } from "../../tenancy/convert.js";
import { acceptTenantInvite, createTenantInvite } from "../../tenancy/invites.js";
import { tenantRepo } from "../../tenancy/tenant-repo.js";
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
          labelsUpdate: req.labelsUpdate,
          labelsRemove: req.labelsRemove,
        },
      );
      return create(TenantServiceUpdateResponseSchema, { tenant: tenantMessage(tenant) });
    },

    async delete(req) {
      const tenant = await deleteTenant(ctx, requireId("tenant", req.tenant));
      return create(TenantServiceDeleteResponseSchema, { tenant: tenantMessage(tenant) });
    },

    async memberList(req) {
      const members = await listTenantMembers(ctx, requireId("tenant", req.tenant));
      return create(TenantServiceMemberListResponseSchema, { members: members.map(tenantMemberMessage) });
    },

    async memberUpdate(req, context) {
      const member = await updateTenantMember(
        ctx,
        requireId("tenant", req.tenant),
        requireId("user", req.user),
        req.role,
        callerId(context),
      );
      return create(TenantServiceMemberUpdateResponseSchema, { member: tenantMemberMessage(member) });
    },

    async memberRemove(req) {
      await removeTenantMember(ctx, requireId("tenant", req.tenant), requireId("user", req.user), false);
      return create(TenantServiceMemberRemoveResponseSchema, {});
    },

    async invite(req, context) {
      const { row, secret, tenant } = await createTenantInvite(
        ctx,
        requireId("tenant", req.tenant),
        callerId(context),
        req.role,
        req.expiresAt ? timestampDate(req.expiresAt) : undefined,
      );
      return create(TenantServiceInviteResponseSchema, {
        invite: tenantInviteMessage(row, tenant.name),
        secret,
      });
    },

    async inviteList(req) {
      const tenant = await getTenant(ctx, requireId("tenant", req.tenant));
      const invites = await tenantRepo(ctx.db.kysely, tenant.id).openInvites();
      return create(TenantServiceInviteListResponseSchema, {
        invites: invites.map((i) => tenantInviteMessage(i, tenant.name)),
      });
    },

    async inviteDelete(req) {
      const tenant = requireId("tenant", req.tenant);
      const deleted = await tenantRepo(ctx.db.kysely, tenant).deleteInvite(requireId("id", req.id));
      if (!deleted)
        throw new ConnectError(`tenant "${tenant}" has no open invite "${req.id}"`, Code.NotFound);
      return create(TenantServiceInviteDeleteResponseSchema, {});
    },

    async inviteAccept(req, context) {
      const { tenant, role } = await acceptTenantInvite(ctx, callerId(context), req.secret);
      return create(TenantServiceInviteAcceptResponseSchema, {
        tenant: tenant.id,
        tenantName: tenant.name,
        role,
      });
    },

    async leave(req, context) {
      await removeTenantMember(ctx, requireId("tenant", req.tenant), callerId(context), true);
      return create(TenantServiceLeaveResponseSchema, {});
    },
  };
}
