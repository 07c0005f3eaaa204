import { create, toJson } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  TenantService as AdminTenantService,
  type TenantServiceCreateRequest as AdminTenantServiceCreateRequest,
} from "../../gen/metalstack/admin/v2/tenant_pb.js";
import {
  type Tenant,
  type TenantInvite,
  TenantInviteSchema,
  type TenantMember,
  TenantMemberSchema,
  TenantSchema,
  TenantService,
  type TenantServiceCreateRequest,
  TenantServiceCreateRequestSchema,
  type TenantServiceInviteRequest,
  TenantServiceInviteRequestSchema,
  type TenantServiceUpdateRequest,
  TenantServiceUpdateRequestSchema,
} from "../../gen/metalstack/api/v2/tenant_pb.js";
import { allPages } from "../api/paging.js";
import type { Detail, JsonValue } from "../output/printer.js";
import { age, until } from "../output/time.js";
import { date, parseLabels, protoView, showLabels, splitList } from "./common.js";
import { orGranted } from "./granted.js";
import { type Creates, completionOf, type Deletes, type Edits, type Lists } from "./resource.js";
import { parseTenantRole, tenantRoleName } from "./roles.js";

/** tenantView shows tenants (organisations that own projects). */
export const tenantView = protoView(TenantSchema, [
  { header: "ID", value: (t: Tenant) => t.id },
  { header: "Name", value: (t: Tenant) => t.name },
  { header: "Email", value: (t: Tenant) => t.email },
  { header: "Personal", value: (t: Tenant) => (t.personal ? "yes" : "") },
  { header: "Description", value: (t: Tenant) => t.description, wide: true },
  { header: "Created By", value: (t: Tenant) => t.createdBy, wide: true },
  { header: "Labels", value: (t: Tenant) => showLabels(t.meta?.labels), wide: true },
  {
    header: "Age",
    value: (t: Tenant, now: Date) => age(date(t.meta?.createdAt), now),
    sortKey: (t: Tenant) => date(t.meta?.createdAt)?.getTime() ?? 0,
    wide: true,
  },
]);

/** tenantMemberView shows a tenant's members with their roles. */
export const tenantMemberView = protoView(TenantMemberSchema, [
  { header: "User", value: (m: TenantMember) => m.user },
  { header: "Name", value: (m: TenantMember) => m.name },
  { header: "Email", value: (m: TenantMember) => m.email },
  { header: "Role", value: (m: TenantMember) => tenantRoleName(m.role) },
  {
    header: "Since",
    value: (m: TenantMember, now: Date) => age(date(m.createdAt), now),
    sortKey: (m: TenantMember) => date(m.createdAt)?.getTime() ?? 0,
  },
]);

/** tenantInviteView shows a tenant's open invitations (never their secrets). */
export const tenantInviteView = protoView(TenantInviteSchema, [
  { header: "ID", value: (i: TenantInvite) => i.id },
  { header: "Role", value: (i: TenantInvite) => tenantRoleName(i.role) },
  { header: "Created By", value: (i: TenantInvite) => i.createdBy },
  {
    header: "Expires",
    value: (i: TenantInvite, now: Date) => until(date(i.expiresAt), now),
    sortKey: (i: TenantInvite) => date(i.expiresAt)?.getTime() ?? 0,
  },
]);

/** TenantInput are the fields of `tenant create|update`. */
export interface TenantInput {
  id?: string | undefined;
  name?: string | undefined;
  description?: string | undefined;
  email?: string | undefined;
  labels?: string[] | undefined;
  removeLabels?: string[] | undefined;
}

/** tenantCreateRequest builds the create request (pure). */
export function tenantCreateRequest(input: TenantInput): TenantServiceCreateRequest {
  return create(TenantServiceCreateRequestSchema, {
    id: input.id ?? "",
    name: input.name ?? "",
    description: input.description ?? "",
    email: input.email ?? "",
    labels: parseLabels(input.labels),
  });
}

/** tenantUpdateRequest builds the update request; unset fields stay unchanged (pure). */
export function tenantUpdateRequest(tenant: string, input: TenantInput): TenantServiceUpdateRequest {
  return create(TenantServiceUpdateRequestSchema, {
    tenant,
    updateMeta: { generation: 0n },
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.email !== undefined ? { email: input.email } : {}),
    labels: { update: parseLabels(input.labels), remove: splitList(input.removeLabels) },
  });
}

/** tenantInviteRequest builds an invitation with a role that expires after `ttlMs` (pure). */
export function tenantInviteRequest(
  tenant: string,
  role: string,
  ttlMs: number,
  now: Date,
): TenantServiceInviteRequest {
  return create(TenantServiceInviteRequestSchema, {
    tenant,
    role: parseTenantRole(role, "--role"),
    expiresAt: timestampFromDate(new Date(now.getTime() + ttlMs)),
  });
}

/** inviteDetail prints a new invitation: the secret to pass on once, and how to use it. */
export function inviteDetail(kind: "tenant" | "project", invite: JsonValue, secret: string): Detail {
  return {
    json: { invite, secret },
    text: () =>
      `${secret}\n\nPass this secret to the invitee privately; it is shown only once.\n` +
      `They join with: echo SECRET | metalctl ${kind} join\n`,
  };
}

/** inviteJson is the proto JSON of a tenant invitation. */
export function inviteJson(i: TenantInvite): JsonValue {
  return toJson(TenantInviteSchema, i) as JsonValue;
}

/** tenant is the tenants the caller is a member of, named by ID; their name, description, email and labels change. */
export const tenant: Lists<Tenant> &
  Creates<Tenant, TenantServiceCreateRequest> &
  Edits<Tenant, typeof TenantServiceUpdateRequestSchema> &
  Deletes<Tenant> = {
  scope: "server",
  noun: "tenant",
  view: tenantView,
  editShape: (_project, id) => ({ request: TenantServiceUpdateRequestSchema, identity: { tenant: id } }),
  ref: {
    kind: "tenant",
    scope: "server",
    arg: "tenant",
    description: "Tenant ID.",
    candidate: (t) => ({ value: t.id, description: t.name }),
    names: (t) => [t.name],
  },
  list: (deps) => {
    const client = deps.client(TenantService);
    // An API token without a grant of TenantService/List sees the tenants it holds a role on.
    return orGranted(
      deps,
      async () => (await client.list({})).tenants,
      (record) => Object.keys(record.tenantRoles),
      async (id) => (await client.get({ tenant: id })).tenant!,
    );
  },
  get: async (deps, _project, id) => (await deps.client(TenantService).get({ tenant: id })).tenant!,
  create: async (deps, req) => (await deps.client(TenantService).create(req)).tenant!,
  update: async (deps, req) => (await deps.client(TenantService).update(req)).tenant!,
  delete: async (deps, _project, id) => (await deps.client(TenantService).delete({ tenant: id })).tenant!,
};

/** completion offers the IDs of the caller's tenants. */
export const completion = completionOf(tenant);

/** adminTenants is every tenant, as operators list and create them. */
export const adminTenants: Lists<Tenant, { name?: string }> &
  Creates<Tenant, AdminTenantServiceCreateRequest> = {
  scope: "server",
  noun: "tenant",
  view: tenantView,
  list: (deps, _project, query) => {
    const client = deps.client(AdminTenantService);
    return allPages(
      (paging) => client.list({ ...(query.name ? { name: query.name } : {}), paging }),
      (res) => res.tenants,
    );
  },
  create: async (deps, req) => (await deps.client(AdminTenantService).create(req)).tenant!,
};
