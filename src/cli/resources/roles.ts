import { AdminRole, ProjectRole, TenantRole } from "../../gen/metalstack/api/v2/common_pb.js";
import { usageError } from "../errors.js";

type RoleEnum = typeof ProjectRole | typeof TenantRole | typeof AdminRole;

function roleName(e: RoleEnum, value: number): string {
  const name = (e as unknown as Record<number, string>)[value];
  return name ? name.toLowerCase() : String(value);
}

function parseRole<E extends RoleEnum>(e: E, prefix: string, text: string, flag: string): E[keyof E] {
  // protobuf-es drops the enum prefix from member names (ProjectRole.OWNER), so accept both spellings.
  const key = text
    .trim()
    .toUpperCase()
    .replace(new RegExp(`^${prefix}`), "");
  const value = (e as unknown as Record<string, number>)[key];
  if (value === undefined || value === 0) {
    const allowed = Object.keys(e)
      .filter((k) => Number.isNaN(Number(k)) && !k.endsWith("UNSPECIFIED"))
      .map((k) => k.toLowerCase());
    throw usageError(`${flag}: "${text}" is not a role`, `use one of: ${allowed.join(", ")}`);
  }
  return value as E[keyof E];
}

/** projectRoleName shows a project role as "owner", "editor" or "viewer". */
export const projectRoleName = (r: ProjectRole) => roleName(ProjectRole, r);
/** tenantRoleName shows a tenant role as "owner", "editor" or "viewer". */
export const tenantRoleName = (r: TenantRole) => roleName(TenantRole, r);
/** adminRoleName shows an admin role as "editor" or "viewer". */
export const adminRoleName = (r: AdminRole) => roleName(AdminRole, r);

/** parseProjectRole reads "owner", "EDITOR" or "PROJECT_ROLE_VIEWER". */
export const parseProjectRole = (t: string, flag: string) => parseRole(ProjectRole, "PROJECT_ROLE_", t, flag);
/** parseTenantRole reads "owner", "EDITOR" or "TENANT_ROLE_VIEWER". */
export const parseTenantRole = (t: string, flag: string) => parseRole(TenantRole, "TENANT_ROLE_", t, flag);
/** parseAdminRole reads "editor" or "ADMIN_ROLE_VIEWER". */
export const parseAdminRole = (t: string, flag: string) => parseRole(AdminRole, "ADMIN_ROLE_", t, flag);

/** parseAssignments reads repeatable `SUBJECT=ROLE` flags into a map, refusing duplicates. */
export function parseAssignments<R>(
  values: string[],
  flag: string,
  parse: (t: string, flag: string) => R,
): Record<string, R> {
  const out: Record<string, R> = {};
  for (const v of values) {
    const idx = v.lastIndexOf("=");
    if (idx <= 0 || idx === v.length - 1)
      throw usageError(`${flag} "${v}" must be ID=ROLE`, `e.g. ${flag} 3f2a…=viewer`);
    const subject = v.slice(0, idx).trim();
    if (subject in out) throw usageError(`${flag} names "${subject}" twice`);
    out[subject] = parse(v.slice(idx + 1), flag);
  }
  return out;
}
