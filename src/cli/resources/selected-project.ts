import type { Source } from "../completion/source.js";
import { requireProject } from "../config/target.js";
import type { Deps } from "../deps.js";
import { usageError } from "../errors.js";
import { ownApiToken } from "./granted.js";
import { isUuid, lookupId } from "./resource.js";

const selected = new WeakMap<Deps, Promise<string>>();

/**
 * selectedProject is the ID of the project an invocation acts on: `--project`, METALCTL_PROJECT or
 * the context's, else the only project of an API token scoped to exactly one; named by ID, name or
 * unique ID prefix and looked up once per invocation.
 */
export function selectedProject(deps: Deps): Promise<string> {
  let id = selected.get(deps);
  if (!id) {
    const named = deps.target().project;
    // The token's own project is an exact ID already; what a person typed may be a name or a prefix.
    // The project resource (and its generated messages) loads only here: most commands need no project.
    id = !named
      ? tokenProject(deps)
      : isUuid(named)
        ? Promise.resolve(named)
        : import("./project.js").then(({ project }) => lookupId(deps, project, "", named));
    selected.set(deps, id);
  }
  return id;
}

/**
 * tokenProject is the project when none is named: an API token with a role on exactly one project
 * (and no tenant or admin role) uses that project, as CI expects; anything else is "no project selected".
 */
async function tokenProject(deps: Deps): Promise<string> {
  const target = deps.target();
  // Without usable credentials the missing project is still what to say first.
  const record = await ownApiToken(deps);
  if (!record) return requireProject(target);
  // Loaded only here: every command passes through this module, few without a project.
  const { soleProject } = await import("./token.js");
  const only = soleProject(record);
  if (only) return only;
  const projects = Object.keys(record.projectRoles);
  const tenants = Object.keys(record.tenantRoles);
  const scope = [
    projects.length > 0 ? `projects ${projects.join(", ")}` : "",
    tenants.length > 0 ? `tenants ${tenants.join(", ")}` : "",
    record.adminRole !== undefined ? "an admin role" : "",
  ].filter(Boolean);
  throw usageError(
    `no project selected, and the API token is not scoped to exactly one project (it has ${scope.join(" and ") || "no project role"})`,
    "pass --project or set METALCTL_PROJECT",
  );
}

/** projectIn is the project a resource's requests name: the selected one for project resources, else "". */
export async function projectIn(deps: Deps, scope: Source["scope"]): Promise<string> {
  return scope === "project" ? selectedProject(deps) : "";
}
