import { create, toJson } from "@bufbuild/protobuf";
import { type Timestamp, timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { TokenService as AdminTokenService } from "../../gen/metalstack/admin/v2/token_pb.js";
import type { AdminRole, ProjectRole, TenantRole } from "../../gen/metalstack/api/v2/common_pb.js";
import {
  type MethodInfo,
  type MethodPermission,
  MethodPermissionSchema,
} from "../../gen/metalstack/api/v2/method_pb.js";
import {
  type Token,
  TokenSchema,
  TokenService,
  type TokenServiceCreateRequest,
  TokenServiceCreateRequestSchema,
  TokenType,
} from "../../gen/metalstack/api/v2/token_pb.js";
import type { Deps } from "../deps.js";
import { parseDuration } from "../duration.js";
import { usageError } from "../errors.js";
import type { Detail, JsonValue, View } from "../output/printer.js";
import { age, until } from "../output/time.js";
import { project } from "./project.js";
import { completionOf, type Gets, type Lists, lookupIds, type Ref } from "./resource.js";
import {
  adminRoleName,
  parseAdminRole,
  parseAssignments,
  parseProjectRole,
  parseTenantRole,
  projectRoleName,
  tenantRoleName,
} from "./roles.js";
import { tenant } from "./tenant.js";

const date = (t: Timestamp | undefined) => (t ? timestampDate(t) : undefined);

/** tokenGrantsSummary lists a token's roles and permission count in one short cell. */
export function tokenGrantsSummary(t: Token): string {
  const parts = [
    ...Object.entries(t.projectRoles).map(([p, r]) => `project ${p}=${projectRoleName(r)}`),
    ...Object.entries(t.tenantRoles).map(([p, r]) => `tenant ${p}=${tenantRoleName(r)}`),
  ];
  if (t.adminRole !== undefined) parts.push(`admin=${adminRoleName(t.adminRole)}`);
  const methods = t.permissions.reduce((n, p) => n + p.methods.length, 0);
  if (methods) parts.push(`${methods} method${methods === 1 ? "" : "s"}`);
  if (t.tokenType === TokenType.USER) return "all of the user's roles";
  return parts.join(", ") || "none";
}

/** soleProject is the project of an API token with a role on exactly one project and no tenant or admin role. */
export function soleProject(t: Token): string | undefined {
  const projects = Object.keys(t.projectRoles);
  const scoped =
    projects.length === 1 && Object.keys(t.tenantRoles).length === 0 && t.adminRole === undefined;
  return t.tokenType === TokenType.API && scoped ? projects[0] : undefined;
}

/** tokenView shows tokens: id, type, description, grants, expiry; wide adds issue time and permissions. */
export const tokenView: View<Token> = {
  columns: [
    { header: "ID", value: (t) => t.uuid },
    { header: "Type", value: (t) => (t.tokenType === TokenType.USER ? "user" : "api") },
    { header: "Description", value: (t) => t.description },
    { header: "Grants", value: tokenGrantsSummary },
    {
      header: "Expires",
      value: (t, now) => until(date(t.expires), now),
      sortKey: (t) => date(t.expires)?.getTime() ?? Number.MAX_SAFE_INTEGER,
    },
    {
      header: "Issued",
      value: (t, now) => age(date(t.issuedAt), now),
      sortKey: (t) => date(t.issuedAt)?.getTime() ?? 0,
      wide: true,
    },
    {
      header: "Permissions",
      value: (t) => t.permissions.map((p) => p.methods.map((m) => `${m}@${p.subject}`).join(" ")).join(" "),
      wide: true,
    },
  ],
  toJson: (t) => toJson(TokenSchema, t),
};

/** adminTokenView is tokenView with the owner's user ID after the token ID, for lists across users. */
export const adminTokenView: View<Token> = {
  ...tokenView,
  columns: [tokenView.columns[0]!, { header: "User", value: (t) => t.user }, ...tokenView.columns.slice(1)],
};

/** TokenCreateFlags are the flags of `token create`. */
export interface TokenCreateFlags {
  description?: string;
  expires: string;
  "project-role"?: string[];
  "tenant-role"?: string[];
  permission?: string[];
  "admin-role"?: string;
}

/** PermissionSpec is one parsed `--permission SERVICE/METHOD[@SUBJECT]`. */
export interface PermissionSpec {
  method: string;
  subject?: string;
}

/** parsePermission reads `SERVICE/METHOD[@SUBJECT]`; a bare service name gets the metalstack.api.v2 package. */
export function parsePermission(text: string): PermissionSpec {
  const at = text.indexOf("@");
  const rawMethod = (at < 0 ? text : text.slice(0, at)).trim().replace(/^\//, "");
  const subject = at < 0 ? undefined : text.slice(at + 1).trim();
  const m = /^([A-Za-z_][\w.]*)\/([A-Za-z_]\w*)$/.exec(rawMethod);
  if (!m || subject === "") {
    throw usageError(
      `--permission "${text}" must be SERVICE/METHOD[@SUBJECT]`,
      "e.g. ProjectService/Get@<project-id>",
    );
  }
  const service = m[1]!.includes(".") ? m[1]! : `metalstack.api.v2.${m[1]}`;
  return subject ? { method: `/${service}/${m[2]}`, subject } : { method: `/${service}/${m[2]}` };
}

/**
 * resolvePermissions checks each method against the server's method list and fills in the subject:
 * project-scoped methods default to the current project, tenant-scoped ones need an explicit one,
 * methods without a subject get "*".
 */
export function resolvePermissions(
  specs: PermissionSpec[],
  methods: MethodInfo[],
  project: () => string,
): MethodPermission[] {
  const bySubject = new Map<string, string[]>();
  for (const spec of specs) {
    const info = methods.find((m) => m.method === spec.method);
    if (!info)
      throw usageError(
        `--permission: unknown method ${spec.method}`,
        "check the spelling, e.g. ProjectService/Get or metalstack.api.v2.IPService/List",
      );
    let subject = spec.subject;
    if (!subject) {
      if (info.subjectField === "project") subject = project();
      else if (info.subjectField === "tenant") {
        throw usageError(`--permission ${spec.method} needs a tenant`, `write ${spec.method}@<tenant-id>`);
      } else subject = "*";
    }
    bySubject.set(subject, [...(bySubject.get(subject) ?? []), spec.method]);
  }
  return [...bySubject].map(([subject, ms]) => create(MethodPermissionSchema, { subject, methods: ms }));
}

/** tokenCreateRequest builds the create request from flags; `expires` is a duration from now. */
export function tokenCreateRequest(
  flags: TokenCreateFlags,
  permissions: MethodPermission[],
  now: Date,
): TokenServiceCreateRequest {
  const ttl = parseDuration(flags.expires, "--expires");
  const req = create(TokenServiceCreateRequestSchema, {
    description: flags.description ?? "",
    expires: timestampFromDate(new Date(now.getTime() + ttl)),
    permissions,
    projectRoles: parseAssignments<ProjectRole>(
      flags["project-role"] ?? [],
      "--project-role",
      parseProjectRole,
    ),
    tenantRoles: parseAssignments<TenantRole>(flags["tenant-role"] ?? [], "--tenant-role", parseTenantRole),
  });
  if (flags["admin-role"]) req.adminRole = parseAdminRole(flags["admin-role"], "--admin-role") as AdminRole;
  const grants =
    permissions.length + Object.keys(req.projectRoles).length + Object.keys(req.tenantRoles).length;
  if (!grants && req.adminRole === undefined) {
    throw usageError(
      "a token needs at least one grant",
      "pass --project-role, --tenant-role, --permission or --admin-role",
    );
  }
  return req;
}

/**
 * resolveGrantNames turns the projects and tenants a create request names (role keys, permission
 * subjects of project- and tenant-scoped methods) into their IDs, so a name or ID prefix grants the
 * item it names and an unknown one is refused instead of granting nothing.
 */
export async function resolveGrantNames(
  deps: Deps,
  req: TokenServiceCreateRequest,
  methods: MethodInfo[],
): Promise<TokenServiceCreateRequest> {
  const fieldOf = (p: MethodPermission) =>
    methods.find((m) => p.methods.includes(m.method) && m.subjectField)?.subjectField ?? "";
  const named = (field: string) => (p: MethodPermission) => p.subject !== "*" && fieldOf(p) === field;
  const projects = [
    ...Object.keys(req.projectRoles),
    ...req.permissions.filter(named("project")).map((p) => p.subject),
  ];
  const tenants = [
    ...Object.keys(req.tenantRoles),
    ...req.permissions.filter(named("tenant")).map((p) => p.subject),
  ];
  const [projectIds, tenantIds] = await Promise.all([
    lookupIds(deps, project, "", projects),
    lookupIds(deps, tenant, "", tenants),
  ]);
  const projectId = new Map(projects.map((t, i) => [t, projectIds[i]!]));
  const tenantId = new Map(tenants.map((t, i) => [t, tenantIds[i]!]));
  const rekey = <R>(roles: Record<string, R>, ids: Map<string, string>) =>
    Object.fromEntries(Object.entries(roles).map(([k, r]) => [ids.get(k) ?? k, r]));
  req.projectRoles = rekey(req.projectRoles, projectId);
  req.tenantRoles = rekey(req.tenantRoles, tenantId);
  for (const p of req.permissions) {
    const ids = fieldOf(p) === "project" ? projectId : fieldOf(p) === "tenant" ? tenantId : undefined;
    p.subject = ids?.get(p.subject) ?? p.subject;
  }
  return req;
}

/** MintedToken is a token together with its secret, as returned once by create and refresh. */
export interface MintedToken {
  token?: Token;
  secret: string;
}

/** mintedDetail prints only the secret in table formats (for `$(…)` capture) and token+secret as JSON. */
export function mintedDetail(m: MintedToken): Detail {
  const json: Record<string, JsonValue> = { secret: m.secret };
  if (m.token) json.token = toJson(TokenSchema, m.token);
  return { json, text: () => `${m.secret}\n` };
}

/** mintedWarning is the stderr note shown with a new secret. */
export function mintedWarning(m: MintedToken, now: Date): string {
  const exp = until(date(m.token?.expires), now);
  return `Token ${m.token?.uuid ?? ""} created (expires ${exp}). Copy the secret now: it is shown only once and cannot be retrieved later.`;
}

/** token is the caller's active tokens (login sessions and API tokens), named by ID. */
export const token: Lists<Token> & Gets<Token> & { ref: Ref<Token> } = {
  scope: "server",
  noun: "token",
  view: tokenView,
  ref: {
    kind: "token",
    scope: "server",
    arg: "id",
    description: "Token id.",
    candidate: (t) => ({ value: t.uuid, description: t.description }),
  },
  list: async (deps) => (await deps.client(TokenService).list({})).tokens,
  get: async (deps, _project, uuid) => (await deps.client(TokenService).get({ uuid })).token!,
};

/** completion offers the IDs of the caller's tokens. */
export const completion = completionOf(token);

/** adminTokens is every user's tokens, as operators list them. */
export const adminTokens: Lists<Token, { user?: string }> = {
  scope: "server",
  noun: "token",
  view: adminTokenView,
  list: async (deps, _project, query) =>
    (await deps.client(AdminTokenService).list({ ...(query.user ? { user: query.user } : {}) })).tokens,
};
