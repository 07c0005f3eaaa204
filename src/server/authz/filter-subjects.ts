import {
  type DescField,
  type DescMessage,
  type DescMethod,
  type MessageShape,
  ScalarType,
} from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { ProjectRole, Scope, TenantRole } from "../../gen/metalstack/api/v2/common_pb.js";
import { escapeForMessage } from "../input-echo.js";
import { type AccessFacts, effectiveProjectRole, effectiveTenantRole } from "./decide.js";
import type { SubjectField } from "./permission-table.js";
import { satisfies } from "./roles.js";

/** FilterField is a request field of a list or watch that narrows it to one project or tenant. */
export interface FilterField {
  /** Proto field names from the request down to the string, e.g. ["query", "project"]. */
  path: string[];
  /** The same fields' property names in generated messages. */
  keys: string[];
  kind: SubjectField;
}

const KINDS: readonly SubjectField[] = ["project", "tenant"];

// The ID limit of the request validation (request-fields.ts).
const MAX_ID_LENGTH = 256;

// A list or a watch: a filter naming nothing must not answer with an empty result.
const LISTS = /(^List|List$|^Watch$)/;

function isFilter(field: DescField): field is DescField & { name: SubjectField } {
  return (
    field.fieldKind === "scalar" &&
    field.scalar === ScalarType.STRING &&
    (KINDS as readonly string[]).includes(field.name)
  );
}

/**
 * filterFieldsOf finds the project and tenant filters of a list or watch RPC: string fields named
 * `project` or `tenant` in its request, or one message deep (`query.project`). Other RPCs have none.
 */
export function filterFieldsOf(method: DescMethod): FilterField[] {
  if (!LISTS.test(method.name)) return [];
  const found: FilterField[] = [];
  for (const field of method.input.fields) {
    if (isFilter(field)) found.push({ path: [field.name], keys: [field.localName], kind: field.name });
    if (field.fieldKind === "message") {
      for (const inner of field.message.fields) {
        if (isFilter(inner)) {
          found.push({
            path: [field.name, inner.name],
            keys: [field.localName, inner.localName],
            kind: inner.name,
          });
        }
      }
    }
  }
  return found;
}

/** FilterRule is what checkFilterSubjects needs of a method's rule. */
export interface FilterRule {
  scope: Scope;
  subjectField?: SubjectField;
  filters: readonly FilterField[];
}

/** FilterLookups answer whether projects and tenants exist, uncached for misses. */
export interface FilterLookups {
  projectTenant(projectId: string): Promise<string | undefined>;
  tenantExists(tenantId: string): Promise<boolean>;
}

function valueAt(message: unknown, keys: readonly string[]): string {
  let v: unknown = message;
  for (const key of keys) {
    if (typeof v !== "object" || v === null) return "";
    v = (v as Record<string, unknown>)[key];
  }
  return typeof v === "string" ? v : "";
}

// Ids are shown as sent when they are plain, escaped and shortened when they are not.
function shown(id: string): string {
  return /^[\w.:@-]{1,128}$/.test(id) ? `"${id}"` : escapeForMessage(id);
}

function notFound(path: readonly string[], kind: SubjectField, id: string, where: string, hint: string) {
  return new ConnectError(
    `${path.join(".")}: ${kind} ${shown(id)} not found${where}; ${hint}`,
    Code.NotFound,
  );
}

/**
 * checkFilterSubjects refuses a list or watch whose project or tenant filter names one that does not
 * exist or that the caller cannot see, with NotFound naming the field and the value: the same answer
 * for both, so nothing leaks, and never an empty list that reads as "nothing there". It runs after the
 * role check. Operators (admin and infra scope) see every project and tenant; in a tenant-scoped call a
 * project must belong to that tenant; elsewhere the caller must hold at least a viewer role on it.
 */
export async function checkFilterSubjects(
  rule: FilterRule,
  message: MessageShape<DescMessage>,
  facts: AccessFacts,
  lookups: FilterLookups,
): Promise<void> {
  if (rule.filters.length === 0) return;
  const operator = rule.scope === Scope.ADMIN || rule.scope === Scope.INFRA;
  const hint = (kind: SubjectField) =>
    operator
      ? `name a ${kind} by its ID (metalctl admin ${kind} list)`
      : `name a ${kind} you can use (metalctl ${kind} list)`;
  const subjectTenant = rule.subjectField === "tenant" ? valueAt(message, ["tenant"]) : undefined;
  for (const filter of rule.filters) {
    const id = valueAt(message, filter.keys);
    // Longer than any ID: the validation after this refuses it as InvalidArgument, without a lookup.
    if (!id || id.length > MAX_ID_LENGTH) continue;
    const isSubject = filter.path.length === 1 && filter.path[0] === rule.subjectField;
    if (filter.kind === "project") {
      const tenant = await lookups.projectTenant(id);
      if (subjectTenant !== undefined && !isSubject) {
        if (tenant !== subjectTenant) {
          throw notFound(filter.path, "project", id, ` in tenant "${subjectTenant}"`, hint("project"));
        }
        continue;
      }
      const visible = tenant !== undefined && (operator || isSubject || (await seesProject(facts, id)));
      if (!visible) throw notFound(filter.path, "project", id, "", hint("project"));
    } else {
      const visible =
        (await lookups.tenantExists(id)) && (operator || isSubject || (await seesTenant(facts, id, lookups)));
      if (!visible) throw notFound(filter.path, "tenant", id, "", hint("tenant"));
    }
  }
}

// A tenant is visible to a user with a role on it or on one of its projects.
async function seesTenant(facts: AccessFacts, tenant: string, lookups: FilterLookups): Promise<boolean> {
  if (satisfies(effectiveTenantRole(asUser(facts), tenant), TenantRole.VIEWER)) return true;
  for (const project of facts.holdings.projectRoles.keys()) {
    if ((await lookups.projectTenant(project)) === tenant) return true;
  }
  return false;
}

// A project is visible to a user with a role on it, its tenant, or an operator's role.
async function seesProject(facts: AccessFacts, project: string): Promise<boolean> {
  return satisfies(await effectiveProjectRole(asUser(facts), project), ProjectRole.VIEWER);
}

// Visibility follows the caller's own holdings, whatever the token narrows its grants to.
function asUser(facts: AccessFacts): AccessFacts {
  return { ...facts, grants: { ...facts.grants, kind: "user" } };
}
