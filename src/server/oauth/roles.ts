import { AdminRole } from "../../gen/metalstack/api/v2/common_pb.js";
import type { AdminRoleName } from "./identity-config.js";

/**
 * adminRoleFor maps a user's groups to the strongest admin role they grant; no matching group
 * means no admin role. Without a groups claim it returns undefined, so the stored role stays.
 */
export function adminRoleFor(
  groups: string[] | undefined,
  mapping: Record<string, AdminRoleName>,
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
