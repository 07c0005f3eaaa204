import { Code, ConnectError } from "@connectrpc/connect";
import { ProjectRole, TenantRole } from "../../gen/metalstack/api/v2/common_pb.js";

const SLUG = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])$/;
const MAX_NAME = 128;
const MAX_DESCRIPTION = 1024;
/** INVITE_MAX_LIFETIME_MS is the longest an invite may stay valid. */
const INVITE_MAX_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
/** INVITE_DEFAULT_LIFETIME_MS is how long an invite stays valid when the request names no expiry. */
const INVITE_DEFAULT_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** invalid builds the InvalidArgument error for one field. */
export function invalid(field: string, problem: string): ConnectError {
  return new ConnectError(`${field}: ${problem}`, Code.InvalidArgument);
}

/** requireText trims a required text field and checks its length. */
export function requireText(field: string, value: string, max = MAX_NAME): string {
  const v = value.trim();
  if (!v) throw invalid(field, "must not be empty");
  if (v.length > max) throw invalid(field, `must be at most ${max} characters`);
  return v;
}

/** optionalText trims an optional text field (description, email) and checks its length. */
export function optionalText(field: string, value: string, max = MAX_DESCRIPTION): string {
  const v = value.trim();
  if (v.length > max) throw invalid(field, `must be at most ${max} characters`);
  return v;
}

/** optionalEmail checks that a non-empty email looks like one address. */
export function optionalEmail(field: string, value: string): string {
  const v = optionalText(field, value, 254);
  if (v && !/^[^\s@]+@[^\s@]+$/.test(v)) throw invalid(field, `"${v}" is not an email address`);
  return v;
}

/**
 * tenantSlug validates the given tenant id, or derives one from the name: lowercase letters, digits
 * and inner dashes, 2-63 characters, like a DNS label.
 */
export function tenantSlug(id: string, name: string): string {
  if (id) {
    if (!SLUG.test(id)) {
      throw invalid(
        "id",
        `"${id}" is not a valid tenant id; use 2-63 lowercase letters, digits and dashes, starting and ending with a letter or digit`,
      );
    }
    return id;
  }
  const derived = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, 63)
    .replace(/-+$/, "");
  if (!SLUG.test(derived)) {
    throw invalid("id", `cannot derive a tenant id from name "${name}"; give one explicitly with id`);
  }
  return derived;
}

/** requireTenantRole rejects UNSPECIFIED and unknown tenant roles. */
export function requireTenantRole(field: string, role: TenantRole): TenantRole {
  if (role === TenantRole.UNSPECIFIED || !(role in TenantRole)) {
    throw invalid(field, "must be one of TENANT_ROLE_OWNER, TENANT_ROLE_EDITOR, TENANT_ROLE_VIEWER");
  }
  return role;
}

/** requireProjectRole rejects UNSPECIFIED and unknown project roles. */
export function requireProjectRole(field: string, role: ProjectRole): ProjectRole {
  if (role === ProjectRole.UNSPECIFIED || !(role in ProjectRole)) {
    throw invalid(field, "must be one of PROJECT_ROLE_OWNER, PROJECT_ROLE_EDITOR, PROJECT_ROLE_VIEWER");
  }
  return role;
}

/** inviteExpiry checks a requested expiry (or picks the default) against the allowed window. */
export function inviteExpiry(now: Date, requested: Date | undefined): Date {
  if (!requested) return new Date(now.getTime() + INVITE_DEFAULT_LIFETIME_MS);
  if (requested.getTime() <= now.getTime()) {
    throw invalid("expires_at", `${requested.toISOString()} lies in the past; pick a time in the future`);
  }
  if (requested.getTime() - now.getTime() > INVITE_MAX_LIFETIME_MS) {
    throw invalid("expires_at", "must be at most 30 days from now");
  }
  return requested;
}

/** requireId checks that an id-like request field is set. */
export function requireId(field: string, value: string): string {
  if (!value) throw invalid(field, "must not be empty");
  return value;
}
