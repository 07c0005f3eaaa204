import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { MetaSchema, type ProjectRole, type TenantRole } from "../../gen/metalstack/api/v2/common_pb.js";
import {
  type Project,
  type ProjectInvite,
  ProjectInviteSchema,
  type ProjectMember,
  ProjectMemberSchema,
  ProjectSchema,
} from "../../gen/metalstack/api/v2/project_pb.js";
import {
  type Tenant,
  type TenantInvite,
  TenantInviteSchema,
  type TenantMember,
  TenantMemberSchema,
  TenantSchema,
} from "../../gen/metalstack/api/v2/tenant_pb.js";
import type { ProjectInviteRow, ProjectRow, TenantInviteRow, TenantRow } from "../store/tenancy-schema.js";

/** MemberView is a membership joined with the member's user row. */
export interface MemberView {
  user_id: string;
  role: number;
  created_at: string;
  name: string;
  email: string;
}

/** timestamp converts a stored ISO-8601 text column into a protobuf Timestamp. */
export function timestamp(iso: string) {
  return timestampFromDate(new Date(iso));
}

/** parseLabels reads the JSON labels column. */
export function parseLabels(text: string): Record<string, string> {
  return JSON.parse(text) as Record<string, string>;
}

function meta(row: { generation: number; created_at: string; updated_at: string; labels: string }) {
  return create(MetaSchema, {
    generation: BigInt(row.generation),
    createdAt: timestamp(row.created_at),
    updatedAt: timestamp(row.updated_at),
    labels: parseLabels(row.labels),
  });
}

/** tenantMessage converts a tenant row into the API message. */
export function tenantMessage(row: TenantRow): Tenant {
  return create(TenantSchema, {
    id: row.id,
    name: row.name,
    description: row.description,
    email: row.email,
    personal: row.personal === 1,
    createdBy: row.created_by,
    meta: meta(row),
  });
}

/** projectMessage converts a project row into the API message. */
export function projectMessage(row: ProjectRow): Project {
  return create(ProjectSchema, {
    id: row.id,
    tenant: row.tenant_id,
    name: row.name,
    description: row.description,
    meta: meta(row),
  });
}

/** tenantMemberMessage converts a tenant membership view into the API message. */
export function tenantMemberMessage(m: MemberView): TenantMember {
  return create(TenantMemberSchema, {
    user: m.user_id,
    name: m.name,
    email: m.email,
    role: m.role as TenantRole,
    createdAt: timestamp(m.created_at),
  });
}

/** projectMemberMessage converts a project membership view into the API message. */
export function projectMemberMessage(m: MemberView): ProjectMember {
  return create(ProjectMemberSchema, {
    user: m.user_id,
    name: m.name,
    email: m.email,
    role: m.role as ProjectRole,
    createdAt: timestamp(m.created_at),
  });
}

/** tenantInviteMessage converts an invite row (never its secret hash) into the API message. */
export function tenantInviteMessage(row: TenantInviteRow, tenantName: string): TenantInvite {
  return create(TenantInviteSchema, {
    id: row.id,
    tenant: row.tenant_id,
    tenantName,
    role: row.role as TenantRole,
    expiresAt: timestamp(row.expires_at),
    createdBy: row.created_by,
    createdAt: timestamp(row.created_at),
  });
}

/** projectInviteMessage converts an invite row (never its secret hash) into the API message. */
export function projectInviteMessage(row: ProjectInviteRow, project: ProjectRow): ProjectInvite {
  return create(ProjectInviteSchema, {
    id: row.id,
    project: row.project_id,
    projectName: project.name,
    tenant: project.tenant_id,
    role: row.role as ProjectRole,
    expiresAt: timestamp(row.expires_at),
    createdBy: row.created_by,
    createdAt: timestamp(row.created_at),
  });
}
