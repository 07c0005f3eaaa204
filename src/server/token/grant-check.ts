import { Code, ConnectError } from "@connectrpc/connect";
import { AdminRole, ProjectRole, TenantRole } from "../../gen/metalstack/api/v2/common_pb.js";
import {
  type AccessFacts,
  decide,
  effectiveAdminRole,
  effectiveProjectRole,
  effectiveTenantRole,
} from "../authz/decide.js";
import type { PermissionTable } from "../authz/permission-table.js";
import { roleName, satisfies } from "../authz/roles.js";
import { permissionDenied } from "../interceptors/authorize.js";
import type { Executor } from "../tenancy/trx.js";
import type { PermissionGrant } from "./token-store.js";

/** RequestedGrants are the grants a caller asks to put on a token. */
export interface RequestedGrants {
  permissions: PermissionGrant[];
  projectRoles: Record<string, number>;
  tenantRoles: Record<string, number>;
  adminRole: number;
}

function invalid(msg: string): ConnectError {
  return new ConnectError(msg, Code.InvalidArgument);
}

/**
 * checkGrantable throws unless the caller holds every requested grant right now: each method on each
 * subject, each role at least as strong, and an admin role only as an admin. Unknown methods and roles
 * are InvalidArgument naming the field.
 */
export async function checkGrantable(
  table: PermissionTable,
  caller: AccessFacts,
  want: RequestedGrants,
): Promise<void> {
  for (const [i, p] of want.permissions.entries()) {
    if (!p.subject)
      throw invalid(`permissions[${i}].subject: required; a project or tenant id, or "*" for all`);
    if (p.methods.length === 0) throw invalid(`permissions[${i}].methods: name at least one method`);
    for (const [j, m] of p.methods.entries()) {
      const rule = table.rules.get(m);
      if (!rule) {
        throw invalid(
          `permissions[${i}].methods[${j}]: "${m}" is not a method of this API; list them with MethodService.List`,
        );
      }
      const decision = await decide(rule, rule.subjectField ? p.subject : undefined, caller);
      if (!decision.allowed) {
        throw permissionDenied(m, `${decision.needed} to grant it (on subject "${p.subject}")`);
      }
    }
  }
  for (const [project, role] of Object.entries(want.projectRoles)) {
    if (!(role in ProjectRole) || role === ProjectRole.UNSPECIFIED) {
      throw invalid(`project_roles["${project}"]: ${role} is not a project role`);
    }
    if (!satisfies(await effectiveProjectRole(caller, project), role)) {
      throw permissionDenied(
        "project_roles",
        `project role ${roleName(ProjectRole, role)} or stronger on project "${project}" to grant it`,
      );
    }
  }
  for (const [tenant, role] of Object.entries(want.tenantRoles)) {
    if (!(role in TenantRole) || role === TenantRole.UNSPECIFIED) {
      throw invalid(`tenant_roles["${tenant}"]: ${role} is not a tenant role`);
    }
    if (!satisfies(effectiveTenantRole(caller, tenant), role)) {
      throw permissionDenied(
        "tenant_roles",
        `tenant role ${roleName(TenantRole, role)} or stronger on tenant "${tenant}" to grant it`,
      );
    }
  }
  if (want.adminRole) {
    if (!(want.adminRole in AdminRole)) throw invalid(`admin_role: ${want.adminRole} is not an admin role`);
    if (!satisfies(effectiveAdminRole(caller), want.adminRole)) {
      throw permissionDenied("admin_role", `admin role ${roleName(AdminRole, want.adminRole)} to grant it`);
    }
  }
}

/**
 * checkGrantSubjectsExist refuses grants on a project or tenant that does not exist (role keys and the
 * subjects of project- and tenant-scoped methods; "*" stays), so a mistyped name or ID is an error
 * instead of a grant on nothing. Run it after checkGrantable: a subject the caller holds no role on
 * is refused there already, so this tells only about projects and tenants the caller can see.
 */
export async function checkGrantSubjectsExist(
  db: Executor,
  table: PermissionTable,
  want: RequestedGrants,
): Promise<void> {
  const projects = new Map<string, string>();
  const tenants = new Map<string, string>();
  for (const project of Object.keys(want.projectRoles)) projects.set(project, `project_roles["${project}"]`);
  for (const tenant of Object.keys(want.tenantRoles)) tenants.set(tenant, `tenant_roles["${tenant}"]`);
  for (const [i, p] of want.permissions.entries()) {
    if (p.subject === "*") continue;
    for (const m of p.methods) {
      const field = table.rules.get(m)?.subjectField;
      if (field === "project" && !projects.has(p.subject))
        projects.set(p.subject, `permissions[${i}].subject`);
      if (field === "tenant" && !tenants.has(p.subject)) tenants.set(p.subject, `permissions[${i}].subject`);
    }
  }
  const missing = async (kind: "projects" | "tenants", ids: Map<string, string>) => {
    if (ids.size === 0) return undefined;
    const found = new Set(
      (
        await db
          .selectFrom(kind)
          .select("id")
          .where("id", "in", [...ids.keys()])
          .execute()
      ).map((r) => r.id),
    );
    return [...ids].find(([id]) => !found.has(id));
  };
  const project = await missing("projects", projects);
  if (project) {
    throw new ConnectError(
      `${project[1]}: project "${project[0]}" does not exist; name a project by its ID (metalctl project list)`,
      Code.NotFound,
    );
  }
  const tenant = await missing("tenants", tenants);
  if (tenant) {
    throw new ConnectError(
      `${tenant[1]}: tenant "${tenant[0]}" does not exist; name a tenant by its ID (metalctl tenant list)`,
      Code.NotFound,
    );
  }
}
