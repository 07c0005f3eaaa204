import { ProjectRole, TenantRole } from "../../gen/metalstack/api/v2/common_pb.js";

// Role enums number OWNER=1, EDITOR=2, VIEWER=3: a smaller non-zero value is the stronger role.

/** strongerRole returns the stronger of two roles of the same enum; UNSPECIFIED (0) counts as none. */
export function strongerRole<R extends number>(a: R, b: R): R {
  if (a === 0) return b;
  if (b === 0) return a;
  return a < b ? a : b;
}

/** projectRoleFromTenantRole maps a tenant role to the project role it implies on the tenant's projects. */
export function projectRoleFromTenantRole(role: TenantRole): ProjectRole {
  switch (role) {
    case TenantRole.OWNER:
      return ProjectRole.OWNER;
    case TenantRole.EDITOR:
      return ProjectRole.EDITOR;
    case TenantRole.VIEWER:
      return ProjectRole.VIEWER;
    default:
      return ProjectRole.UNSPECIFIED;
  }
}
