import { AdminRole, ProjectRole, TenantRole } from "../../gen/metalstack/api/v2/common_pb.js";

// Role enums order from strongest (1) to weakest; 0 means "no role".

/** strongest returns the stronger of two roles of the same kind (0 = none). */
export function strongest(...roles: (number | undefined)[]): number {
  let best = 0;
  for (const r of roles) if (r && (best === 0 || r < best)) best = r;
  return best;
}

/** weakest returns the weaker of two roles (the intersection of two upward-closed role sets); 0 if either is none. */
export function weakest(a: number, b: number): number {
  if (!a || !b) return 0;
  return Math.max(a, b);
}

/** satisfies tells whether `held` is at least as strong as the weakest allowed role `min`. */
export function satisfies(held: number, min: number): boolean {
  return held !== 0 && min !== 0 && held <= min;
}

/** adminImpliedTenantRole: admin editors act as OWNER, admin viewers as VIEWER on every tenant. */
export function adminImpliedTenantRole(admin: number): TenantRole {
  if (admin === AdminRole.EDITOR) return TenantRole.OWNER;
  if (admin === AdminRole.VIEWER) return TenantRole.VIEWER;
  return TenantRole.UNSPECIFIED;
}

/** tenantAdminImpliedTenantRole: tenant admins act as OWNER on every tenant (and on no project). */
export function tenantAdminImpliedTenantRole(tenantAdmin: boolean): TenantRole {
  return tenantAdmin ? TenantRole.OWNER : TenantRole.UNSPECIFIED;
}

/** adminImpliedProjectRole: admin editors act as OWNER, admin viewers as VIEWER on every project. */
export function adminImpliedProjectRole(admin: number): ProjectRole {
  if (admin === AdminRole.EDITOR) return ProjectRole.OWNER;
  if (admin === AdminRole.VIEWER) return ProjectRole.VIEWER;
  return ProjectRole.UNSPECIFIED;
}

/** roleName turns an enum value into the short name users see, e.g. "EDITOR". */
export function roleName(names: Record<number, string>, role: number): string {
  return names[role] ?? String(role);
}

/** rolesUpTo lists the names of all roles at least as strong as `min`, strongest first, e.g. "OWNER or EDITOR". */
export function rolesUpTo(names: Record<number, string>, min: number): string {
  const out: string[] = [];
  for (let r = 1; r <= min; r++) out.push(roleName(names, r));
  return out.join(" or ");
}
