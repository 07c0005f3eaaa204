import { AdminRole } from "../../gen/metalstack/api/v2/common_pb.js";
import type { GroupRoleName } from "./identity-config.js";

/**
 * adminRoleFor maps a user's groups to the strongest admin role they grant; no matching group
 * means no admin role. Without a groups claim it returns undefined, so the stored role stays.
 */
export function adminRoleFor(
  groups: string[] | undefined,
  mapping: Record<string, GroupRoleName>,
): AdminRole | undefined {
  if (!groups) return undefined;
  let role = AdminRole.UNSPECIFIED;
  for (const g of groups) {
    const granted = Object.hasOwn(mapping, g) ? mapping[g] : undefined;
    if (granted === "editor") return AdminRole.EDITOR;
    if (granted === "viewer") role = AdminRole.VIEWER;
  }
  return role;
}

/**
 * tenantAdminFor tells whether a user's groups make it a tenant admin. Without a groups claim it
 * returns undefined, so the stored flag stays.
 */
export function tenantAdminFor(
  groups: string[] | undefined,
  mapping: Record<string, GroupRoleName>,
): boolean | undefined {
  if (!groups) return undefined;
  return groups.some((g) => Object.hasOwn(mapping, g) && mapping[g] === "tenant-admin");
}
