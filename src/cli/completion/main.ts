import fs from "node:fs";
import type { Target, TargetFlags } from "../config/target.js";
import { type Candidate, readCache, writeCache } from "./cache.js";
import { type CompactManifest, expandManifest } from "./compact-manifest.js";
import { filterCandidates, formatCandidates, type Manifest, type Parsed, plan } from "./complete.js";
import type { Source } from "./source.js";

/**
 * runCompletion answers one TAB: it reads the command tree from the completion index or the oclif
 * manifest (no command module is loaded), takes dynamic values from the cache, and only on a miss asks the API and
 * fills the cache. Prints `value<TAB>description` lines.
 */
export async function runCompletion(
  words: string[],
  manifestPath: string | URL,
  env: NodeJS.ProcessEnv = process.env,
  out: (text: string) => void = (t) => process.stdout.write(t),
): Promise<void> {
  const data = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as Manifest | CompactManifest;
  // The build's completion index, or the oclif manifest itself (a development tree).
  const manifest = "sharedFlags" in data ? expandManifest(data) : data;
  const current = words.at(-1) ?? "";
  const { need, parsed } = plan(manifest, words.length ? words : [""]);
  let candidates: Candidate[];
  if (need.type === "fixed") candidates = filterCandidates(need.candidates, current);
  else candidates = filterCandidates(await dynamicValues(need.source, parsed, env), need.prefix);
  const text = formatCandidates(candidates);
  out(text ? `${text}\n` : "");
}

async function dynamicValues(source: Source, parsed: Parsed, env: NodeJS.ProcessEnv): Promise<Candidate[]> {
  const flags: TargetFlags = {};
  if (parsed.flags.context) flags.context = parsed.flags.context;
  if (parsed.flags["api-url"]) flags.apiUrl = parsed.flags["api-url"];
  if (parsed.flags.project) flags.project = parsed.flags.project;
  let target: Target;
  try {
    target = await resolveCompletionTarget(source, flags, env);
  } catch {
    return [];
  }
  const remote = source.scope !== "local";
  if (remote && (!target.apiUrl || (source.scope === "project" && !target.project))) return [];
  const scope = { apiUrl: target.apiUrl ?? "", project: target.project };
  const cached = remote ? readCache(env, scope, source) : undefined;
  if (cached) return cached.candidates;
  try {
    const { fetchCandidates } = await import("./fetch.js");
    const fresh = await fetchCandidates(source, flags, env);
    if (remote) writeCache(env, scope, source, fresh);
    return fresh;
  } catch {
    // A TAB must never print errors into the command line; no candidates is the answer.
    return [];
  }
}

/**
 * resolveCompletionTarget finds the API server and project like every command does. When flags or
 * the environment name both, the config file (and its YAML parser) is not loaded at all.
 */
async function resolveCompletionTarget(
  source: Source,
  flags: TargetFlags,
  env: NodeJS.ProcessEnv,
): Promise<Target> {
  const apiUrl = flags.apiUrl || env.METALCTL_API_URL;
  const project = flags.project || env.METALCTL_PROJECT;
  if (source.scope !== "local" && !flags.context && apiUrl && (project || source.scope === "server")) {
    // The same normal form as the config's normalizeApiUrl, so commands and completion share the cache.
    return { apiUrl: new URL(apiUrl).toString().replace(/\/+$/, ""), project };
  }
  const [{ configDir, createConfigStore }, { resolveTarget }] = await Promise.all([
    import("../config/store.js"),
    import("../config/target.js"),
  ]);
  return resolveTarget(createConfigStore(configDir(env)).load(), flags, env);
}
