import { type DescMethod, type DescService, getOption, hasOption, ScalarType } from "@bufbuild/protobuf";
import {
  AdminRole,
  Auditing,
  admin_roles,
  auditing,
  calling_token_only,
  ProjectRole,
  project_roles,
  Scope,
  scope,
  TenantRole,
  tenant_roles,
} from "../../gen/metalstack/api/v2/common_pb.js";
import { type FilterField, filterFieldsOf } from "./filter-subjects.js";

/** SubjectField names the request field that carries the subject of a tenant- or project-scoped method. */
export type SubjectField = "tenant" | "project";

/** MethodRule is the authorization rule of one RPC, read from its proto annotations. */
export interface MethodRule {
  /** Connect procedure path, e.g. "/metalstack.api.v2.ProjectService/Get". */
  procedure: string;
  method: DescMethod;
  scope: Scope;
  /** Weakest tenant role allowed (largest enum value), 0 when the scope is not tenant. */
  minTenantRole: TenantRole;
  /** Weakest project role allowed (largest enum value), 0 when the scope is not project. */
  minProjectRole: ProjectRole;
  /** Weakest admin role allowed, 0 when the scope is not admin. */
  minAdminRole: AdminRole;
  tenantRoles: TenantRole[];
  projectRoles: ProjectRole[];
  adminRoles: AdminRole[];
  audited: boolean;
  /** The method answers only about the calling token: every authenticated token may call it. */
  callingTokenOnly: boolean;
  subjectField?: SubjectField;
  /** Project and tenant filters of a list or watch, which must name one the caller can see. */
  filters: FilterField[];
}

/** PermissionTable maps every procedure served to its rule; procedures missing from it are refused. */
export interface PermissionTable {
  rules: Map<string, MethodRule>;
  services: readonly DescService[];
}

/**
 * Built-in services whose protos we do not own: gRPC reflection is public (it only describes the
 * API) and too chatty to audit.
 */
const builtinRules: Record<string, { scope: Scope; audited: boolean }> = {
  "grpc.reflection.v1.ServerReflection": { scope: Scope.PUBLIC, audited: false },
};

/** AnnotationError lists every RPC whose annotations break the authorization contract. */
export class AnnotationError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid authorization annotations:\n  ${problems.join("\n  ")}`);
    this.name = "AnnotationError";
  }
}

/** procedureOf returns the Connect procedure path of a method. */
export function procedureOf(method: DescMethod): string {
  return `/${method.parent.typeName}/${method.name}`;
}

/**
 * buildPermissionTable reads scope, roles, auditing and subject field of every method of the given
 * services and throws an AnnotationError naming each RPC that breaks the contract.
 */
export function buildPermissionTable(services: readonly DescService[]): PermissionTable {
  const rules = new Map<string, MethodRule>();
  const problems: string[] = [];
  for (const service of services) {
    for (const method of service.methods) {
      const rule = ruleOf(method, problems);
      if (rule) rules.set(rule.procedure, rule);
    }
  }
  if (problems.length > 0) throw new AnnotationError(problems);
  return { rules, services };
}

function ruleOf(method: DescMethod, problems: string[]): MethodRule | undefined {
  const procedure = procedureOf(method);
  const builtin = builtinRules[method.parent.typeName];
  const base = {
    procedure,
    method,
    minTenantRole: TenantRole.UNSPECIFIED,
    minProjectRole: ProjectRole.UNSPECIFIED,
    minAdminRole: AdminRole.UNSPECIFIED,
    tenantRoles: [],
    projectRoles: [],
    adminRoles: [],
    filters: filterFieldsOf(method),
    callingTokenOnly: false,
  };
  if (builtin) return { ...base, scope: builtin.scope, audited: builtin.audited };
  const fail = (why: string) => {
    problems.push(`${procedure}: ${why}`);
    return undefined;
  };
  if (!hasOption(method, scope)) return fail("has no (metalstack.api.v2.scope) option");
  const sc = getOption(method, scope);
  const tenantRoles = getOption(method, tenant_roles);
  const projectRoles = getOption(method, project_roles);
  const adminRoles = getOption(method, admin_roles);
  const audited = getOption(method, auditing) !== Auditing.EXCLUDED;
  const callingTokenOnly = getOption(method, calling_token_only);
  if (callingTokenOnly && sc !== Scope.SELF) {
    problems.push(`${procedure}: (calling_token_only) is only allowed with SCOPE_SELF`);
  }
  const roleKinds = [
    tenantRoles.length > 0 && "tenant_roles",
    projectRoles.length > 0 && "project_roles",
    adminRoles.length > 0 && "admin_roles",
  ].filter((k): k is string => typeof k === "string");
  const only = (allowed: string | undefined) => {
    const extra = roleKinds.filter((k) => k !== allowed);
    if (extra.length > 0) problems.push(`${procedure}: ${Scope[sc]} must not carry ${extra.join(", ")}`);
  };
  const before = problems.length;
  const rule: MethodRule = { ...base, scope: sc, audited, callingTokenOnly };
  switch (sc) {
    case Scope.PUBLIC:
    case Scope.SELF:
    case Scope.INFRA:
      only(undefined);
      break;
    case Scope.TENANT:
      only("tenant_roles");
      rule.minTenantRole = closedUpwards(procedure, "tenant_roles", tenantRoles, TenantRole, problems);
      rule.tenantRoles = tenantRoles;
      rule.subjectField = subjectField(method, "tenant", problems);
      break;
    case Scope.PROJECT:
      only("project_roles");
      rule.minProjectRole = closedUpwards(procedure, "project_roles", projectRoles, ProjectRole, problems);
      rule.projectRoles = projectRoles;
      rule.subjectField = subjectField(method, "project", problems);
      break;
    case Scope.ADMIN:
      only("admin_roles");
      rule.minAdminRole = closedUpwards(procedure, "admin_roles", adminRoles, AdminRole, problems);
      rule.adminRoles = adminRoles;
      break;
    default:
      return fail(`scope ${Scope[sc] ?? sc} is never served; use a real scope`);
  }
  return problems.length === before ? rule : undefined;
}

/** closedUpwards checks that a role list is {1..weakest} without gaps and returns the weakest role. */
function closedUpwards(
  procedure: string,
  option: string,
  roles: number[],
  names: Record<number, string>,
  problems: string[],
): number {
  if (roles.length === 0) {
    problems.push(`${procedure}: needs at least one (${option}) entry`);
    return 0;
  }
  const weakest = Math.max(...roles);
  const missing: string[] = [];
  for (let r = 1; r <= weakest; r++) if (!roles.includes(r)) missing.push(names[r] ?? String(r));
  if (roles.includes(0)) problems.push(`${procedure}: (${option}) must not list UNSPECIFIED`);
  if (missing.length > 0) {
    problems.push(
      `${procedure}: (${option}) must be closed upwards: ${names[weakest]} also needs ${missing.join(", ")}`,
    );
  }
  return weakest;
}

function subjectField(method: DescMethod, name: SubjectField, problems: string[]): SubjectField | undefined {
  const field = method.input.fields.find((f) => f.name === name);
  if (!field || field.fieldKind !== "scalar" || field.scalar !== ScalarType.STRING) {
    problems.push(
      `${procedureOf(method)}: request ${method.input.typeName} needs a top-level "string ${name}" field naming the subject`,
    );
    return undefined;
  }
  return name;
}
