import fs from "node:fs";
import { cacheDir } from "../config/dir.js";
import type { TargetFlags } from "../config/target.js";
import { type Candidate, cacheFile, readCache, writeCache } from "./cache.js";
import { type CompactManifest, expandManifest } from "./compact-manifest.js";
import { filterCandidates, formatCandidates, type Manifest, type Parsed, plan } from "./complete.js";
import type { Source } from "./source.js";
import { memoizedTarget, type ScopeTarget } from "./target-memo.js";

/** STALE_AFTER_MS is the age after which cached values are still answered but fetched anew in the background. */
export const STALE_AFTER_MS = 60_000;

// Set in the environment of the background run that refreshes a stale cache entry: it skips the cache.
const REFRESH_ENV = "METALCTL_COMPLETE_REFRESH";

// How long a started refresh keeps another TAB from starting one more.
const REFRESH_GRACE_MS = 10_000;

/**
 * runCompletion answers one TAB: it reads the command tree from the completion index or the oclif
 * manifest (no command module is loaded), takes dynamic values from the cache, and only on a miss asks the API and
 * fills the cache. Prints `value<TAB>description` lines. With `refreshStale` (the CLI's own TAB, not an
 * in-process caller), a cache entry older than STALE_AFTER_MS is answered and refreshed by a
 * detached `metalctl __complete` with the same words.
 */
export async function runCompletion(
  words: string[],
  manifestPath: string | URL,
  env: NodeJS.ProcessEnv = process.env,
  out: (text: string) => void = (t) => process.stdout.write(t),
  refreshStale = false,
): Promise<void> {
  const data = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as Manifest | CompactManifest;
  // The build's completion index, or the oclif manifest itself (a development tree).
  const manifest = "sharedFlags" in data ? expandManifest(data) : data;
  const current = words.at(-1) ?? "";
  const { need, parsed } = plan(manifest, words.length ? words : [""]);
  let candidates: Candidate[];
  if (need.type === "fixed") candidates = filterCandidates(need.candidates, current);
  else {
    const refresh = refreshStale ? () => refreshInBackground(words, env) : undefined;
    candidates = filterCandidates(await dynamicValues(need.source, parsed, env, refresh), need.prefix);
  }
  const text = formatCandidates(candidates);
  out(text ? `${text}\n` : "");
}

async function dynamicValues(
  source: Source,
  parsed: Parsed,
  env: NodeJS.ProcessEnv,
  refresh: (() => Promise<void>) | undefined,
): Promise<Candidate[]> {
  const flags: TargetFlags = {};
  if (parsed.flags.context) flags.context = parsed.flags.context;
  if (parsed.flags["api-url"]) flags.apiUrl = parsed.flags["api-url"];
  if (parsed.flags.project) flags.project = parsed.flags.project;
  let target: ScopeTarget;
  try {
    target = await resolveCompletionTarget(source, flags, env);
  } catch {
    return [];
  }
  const remote = source.scope !== "local";
  if (remote && (!target.apiUrl || (source.scope === "project" && !target.project))) return [];
  const scope = { apiUrl: target.apiUrl ?? "", project: target.project };
  const cached = remote && env[REFRESH_ENV] !== "1" ? readCache(env, scope, source) : undefined;
  if (cached) {
    const file = cacheFile(env, scope, source);
    if (refresh && file && isStale(file, cached.at)) await refresh().catch(() => {});
    return cached.candidates;
  }
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
 * the environment name both, the config file (and its YAML parser) is not loaded at all; otherwise
 * the target found for the same inputs and config.yaml is reused (see memoizedTarget).
 */
async function resolveCompletionTarget(
  source: Source,
  flags: TargetFlags,
  env: NodeJS.ProcessEnv,
): Promise<ScopeTarget> {
  const apiUrl = flags.apiUrl || env.METALCTL_API_URL;
  const project = flags.project || env.METALCTL_PROJECT;
  if (source.scope !== "local" && !flags.context && apiUrl && (project || source.scope === "server")) {
    // The same normal form as the config's normalizeApiUrl, so commands and completion share the cache.
    return { apiUrl: new URL(apiUrl).toString().replace(/\/+$/, ""), project };
  }
  return memoizedTarget(flags, env, async () => {
    const [{ configDir, createConfigStore }, { resolveTarget }] = await Promise.all([
      import("../config/store.js"),
      import("../config/target.js"),
    ]);
    return resolveTarget(createConfigStore(configDir(env), cacheDir(env)).load(), flags, env);
  });
}

/**
 * isStale tells whether an entry fetched at `at` should be refreshed. Starting a refresh touches the
 * file, so TABs in quick succession start one refresh, not one each (a failed one is retried later).
 */
function isStale(file: string, at: number): boolean {
  const now = Date.now();
  if (now - at <= STALE_AFTER_MS) return false;
  try {
    if (now - fs.statSync(file).mtimeMs < REFRESH_GRACE_MS) return false;
    fs.utimesSync(file, new Date(now), new Date(now));
    return true;
  } catch {
    return false;
  }
}

/**
 * refreshInBackground runs `metalctl __complete WORDS` detached with the cache skipped, so the next
 * TAB finds fresh values; this TAB does not wait for it.
 */
async function refreshInBackground(words: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const [{ spawn }, sea] = await Promise.all([import("node:child_process"), import("node:sea")]);
  // The single executable is metalctl itself; under Node, argv[1] is bin/run.cjs.
  const self = sea.isSea() ? [] : [...process.execArgv, process.argv[1]!];
  const child = spawn(process.execPath, [...self, "__complete", ...words], {
    detached: true,
    stdio: "ignore",
    env: { ...env, [REFRESH_ENV]: "1" },
  });
  child.on("error", () => {});
  child.unref();
}
