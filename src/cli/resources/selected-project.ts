import type { Source } from "../completion/source.js";
import { requireProject } from "../config/target.js";
import type { Deps } from "../deps.js";
import { project } from "./project.js";
import { lookupId } from "./resource.js";

const selected = new WeakMap<Deps, Promise<string>>();

/**
 * selectedProject is the ID of the project an invocation acts on: `--project`, METALCTL_PROJECT or
 * the context's, named by ID, name or unique ID prefix and looked up once per invocation.
 */
export function selectedProject(deps: Deps): Promise<string> {
  let id = selected.get(deps);
  if (!id) {
    id = (async () => lookupId(deps, project, "", requireProject(deps.target())))();
    selected.set(deps, id);
  }
  return id;
}

/** projectIn is the project a resource's requests name: the selected one for project resources, else "". */
export async function projectIn(deps: Deps, scope: Source["scope"]): Promise<string> {
  return scope === "project" ? selectedProject(deps) : "";
}
