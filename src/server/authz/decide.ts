import { AdminRole, ProjectRole, Scope, TenantRole } from "../../gen/metalstack/api/v2/common_pb.js";
import type { PermissionGrant } from "../token/token-store.js";
import type { Holdings } from "./memberships.js";
import type { MethodRule } from "./permission-table.js";
import {
  adminImpliedProjectRole,
  adminImpliedTenantRole,
  rolesUpTo,
  satisfies,
  strongest,
  tenantAdminImpliedTenantRole,
  weakest,
} from "./roles.js";

/** Grants are what a token carries: all the user's roles (user tokens) or explicit grants (API tokens). */
export interface Grants {
  kind: "user" | "api";
  permissions: PermissionGrant[];
  projectRoles: Record<string, number>;
  tenantRoles: Record<string, number>;
  adminRole: number;
}

/** Decision is the outcome of authorizing one call; a denial names what would have been needed. */
export type Decision = { allowed: true } | { allowed: false; needed: string };

/** AccessFacts are the current facts a decision reads besides the rule: token grants and the user's holdings. */
export interface AccessFacts {
  grants: Grants;
  holdings: Holdings;
  /** Tenant of a project, undefined when the project does not exist. */
  projectTenant(projectId: string): Promise<string | undefined>;
}

/** effectiveAdminRole is the token's admin role limited by the user's current admin role. */
export function effectiveAdminRole(f: AccessFacts): number {
  if (f.grants.kind === "user") return f.holdings.adminRole;
  return weakest(f.grants.adminRole, f.holdings.adminRole);
}

/** heldTenantRole is the user's current role on a tenant, admin- and tenant-admin-implied roles included. */
function heldTenantRole(h: Holdings, tenant: string): number {
  return strongest(
    h.tenantRoles.get(tenant),
    adminImpliedTenantRole(h.adminRole),
    tenantAdminImpliedTenantRole(h.tenantAdmin),
  );
}

/** effectiveTenantRole is the role a token acts with on a tenant: its grant limited by the user's current role. */
export function effectiveTenantRole(f: AccessFacts, tenant: string): number {
  const held = heldTenantRole(f.holdings, tenant);
  if (f.grants.kind === "user") return held;
  const granted = strongest(f.grants.tenantRoles[tenant], adminImpliedTenantRole(f.grants.adminRole));
  return weakest(granted, held);
}

/** effectiveProjectRole is the role a token acts with on a project (tenant roles imply project roles). */
export async function effectiveProjectRole(f: AccessFacts, project: string): Promise<number> {
  const tenant = project === "*" ? undefined : await f.projectTenant(project);
  const h = f.holdings;
  const held = strongest(
    h.projectRoles.get(project),
    tenant === undefined ? 0 : h.tenantRoles.get(tenant),
    adminImpliedProjectRole(h.adminRole),
  );
  if (f.grants.kind === "user") return held;
  const g = f.grants;
  const granted = strongest(
    g.projectRoles[project],
    tenant === undefined ? 0 : g.tenantRoles[tenant],
    adminImpliedProjectRole(g.adminRole),
  );
  return weakest(granted, held);
}

/** listsMethod tells whether an API token names the method explicitly for this subject (or "*"). */
function listsMethod(grants: Grants, rule: MethodRule, subject: string | undefined): boolean {
  return grants.permissions.some(
    (p) =>
      p.methods.includes(rule.procedure) &&
      (rule.subjectField === undefined || p.subject === "*" || p.subject === subject),
  );
}

/**
 * decide authorizes one call of `rule` on `subject` for an authenticated caller. API tokens pass with
 * a granted role or with the method granted explicitly, in both cases only as far as the user
 * currently holds it; public methods always pass.
 */
export async function decide(
  rule: MethodRule,
  subject: string | undefined,
  f: AccessFacts,
): Promise<Decision> {
  const api = f.grants.kind === "api";
  const explicit = api && listsMethod(f.grants, rule, subject);
  switch (rule.scope) {
    case Scope.PUBLIC:
      return { allowed: true };
    case Scope.SELF:
      return !api || explicit || rule.callingTokenOnly
        ? { allowed: true }
        : { allowed: false, needed: `the API token to be granted ${rule.procedure} explicitly` };
    case Scope.ADMIN: {
      const ok =
        satisfies(effectiveAdminRole(f), rule.minAdminRole) ||
        (explicit && satisfies(f.holdings.adminRole, rule.minAdminRole));
      return ok
        ? { allowed: true }
        : denied(
            api && satisfies(f.holdings.adminRole, rule.minAdminRole),
            `admin role ${rolesUpTo(AdminRole, rule.minAdminRole)}`,
          );
    }
    case Scope.INFRA: {
      const ok =
        effectiveAdminRole(f) === AdminRole.EDITOR || (explicit && f.holdings.adminRole === AdminRole.EDITOR);
      return ok
        ? { allowed: true }
        : { allowed: false, needed: "admin role EDITOR or an API token granted this method by an admin" };
    }
    case Scope.TENANT: {
      const tenant = subject ?? "";
      const userMay =
        api && satisfies(effectiveTenantRole({ ...f, grants: asUser(f.grants) }, tenant), rule.minTenantRole);
      const ok = satisfies(effectiveTenantRole(f, tenant), rule.minTenantRole) || (explicit && userMay);
      return ok
        ? { allowed: true }
        : denied(userMay, `tenant role ${rolesUpTo(TenantRole, rule.minTenantRole)} on tenant "${tenant}"`);
    }
    case Scope.PROJECT: {
      const project = subject ?? "";
      const userMay =
        api &&
        satisfies(
          await effectiveProjectRole({ ...f, grants: asUser(f.grants) }, project),
          rule.minProjectRole,
        );
      const ok =
        satisfies(await effectiveProjectRole(f, project), rule.minProjectRole) || (explicit && userMay);
      return ok
        ? { allowed: true }
        : denied(
            userMay,
            `project role ${rolesUpTo(ProjectRole, rule.minProjectRole)} on project "${project}"`,
          );
    }
    default:
      return { allowed: false, needed: "a method that is exposed" };
  }
}

/**
 * denied names what is missing: when an API token's user holds the role but the token was not
 * granted it, the token is what lacks it (and a new token, not an owner, is the remedy).
 */
function denied(tokenLacks: boolean, role: string): Decision {
  return { allowed: false, needed: tokenLacks ? `the API token to be granted ${role}` : role };
}

// The user's own holdings, as if presented with a user token: the bound for explicit method grants.
function asUser(g: Grants): Grants {
  return { ...g, kind: "user" };
}
