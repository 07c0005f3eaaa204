import type { TargetFlags } from "../config/target.js";
import { createDeps, type Deps } from "../deps.js";
import type { Candidate } from "./cache.js";
import type { CompletionSource, Source } from "./source.js";

/**
 * fetchCandidates lists one source's values with the user's credentials from the resource module
 * the source names; it is loaded only on a cache miss, so a warm TAB never pays for the clients.
 */
export async function fetchCandidates(
  source: Source,
  target: TargetFlags,
  env: NodeJS.ProcessEnv,
): Promise<Candidate[]> {
  const deps = createDeps({ flags: { ...target, timeout: "3s" }, env, userAgent: "metalctl-completion" });
  const { projectIn } = await import("../resources/selected-project.js");
  return listCandidates(deps, source, await projectIn(deps, source.scope));
}

/**
 * listCandidates lists a source's values (ID and name) from the resource module it names, in
 * `project` for project sources; a kind without such a module has none.
 */
export async function listCandidates(deps: Deps, source: Source, project: string): Promise<Candidate[]> {
  // The kind comes from the manifest; still, only a plain module name may reach the import.
  if (!/^[a-z][a-z0-9-]*$/.test(source.kind)) return [];
  // The bundler expands the template to every module of resources/, each its own chunk; it matches
  // source files, hence .ts (tsx and vitest resolve it the same way).
  const module = (await import(`../resources/${source.kind}.ts`)) as { completion?: CompletionSource };
  if (!module.completion) return [];
  return module.completion.candidates(deps, project);
}
