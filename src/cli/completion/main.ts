import fs from "node:fs";
import { type CliConfig, configDir, createConfigStore } from "../config/store.js";
import { resolveTarget, type TargetFlags } from "../config/target.js";
import { type CacheKind, type Candidate, PROJECT_KINDS, readCache, writeCache } from "./cache.js";
import { filterCandidates, formatCandidates, type Manifest, type Parsed, plan } from "./complete.js";

/**
 * runCompletion answers one TAB: it reads the command tree from the oclif manifest (no command
 * module is loaded), takes dynamic values from the cache, and only on a miss asks the API and
 * fills the cache. Prints `value<TAB>description` lines.
 */
export async function runCompletion(
  words: string[],
  manifestPath: string | URL,
  env: NodeJS.ProcessEnv = process.env,
  out: (text: string) => void = (t) => process.stdout.write(t),
): Promise<void> {
  const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as Manifest;
  const current = words.at(-1) ?? "";
  const { need, parsed } = plan(manifest, words.length ? words : [""]);
  let candidates: Candidate[];
  if (need.type === "fixed") candidates = filterCandidates(need.candidates, current);
  else candidates = filterCandidates(await dynamicValues(need.kind, parsed, env), need.prefix);
  const text = formatCandidates(candidates);
  out(text ? `${text}\n` : "");
}

async function dynamicValues(
  kind: CacheKind | "context",
  parsed: Parsed,
  env: NodeJS.ProcessEnv,
): Promise<Candidate[]> {
  let config: CliConfig;
  try {
    config = createConfigStore(configDir(env)).load();
  } catch {
    return [];
  }
  if (kind === "context") return config.contexts.map((c) => ({ value: c.name, description: c.apiUrl }));
  const flags: TargetFlags = {};
  if (parsed.flags.context) flags.context = parsed.flags.context;
  if (parsed.flags["api-url"]) flags.apiUrl = parsed.flags["api-url"];
  if (parsed.flags.project) flags.project = parsed.flags.project;
  let target: ReturnType<typeof resolveTarget>;
  try {
    target = resolveTarget(config, flags, env);
  } catch {
    return [];
  }
  if (!target.apiUrl || (PROJECT_KINDS.has(kind) && !target.project)) return [];
  const scope = { apiUrl: target.apiUrl, project: target.project };
  const cached = readCache(env, scope, kind);
  if (cached) return cached.candidates;
  try {
    const { fetchCandidates } = await import("./fetch.js");
    const fresh = await fetchCandidates(kind, flags, env);
    writeCache(env, scope, kind, fresh);
    return fresh;
  } catch {
    // A TAB must never print errors into the command line; no candidates is the answer.
    return [];
  }
}
