import path from "node:path";
import { cacheDir } from "../config/dir.js";
import { readPrivateFile, writePrivateFile } from "../config/private-file.js";
import type { Source } from "./source.js";

/** Candidate is one completion value with an optional description (e.g. an ID and its name). */
export interface Candidate {
  value: string;
  description?: string;
}

/** CacheScope says whose values a cache entry holds: the API server and, for project kinds, the project. */
export interface CacheScope {
  apiUrl: string;
  project?: string | undefined;
}

/** CacheEntry is a stored candidate list with the time it was fetched. */
export interface CacheEntry {
  at: number;
  candidates: Candidate[];
}

/**
 * cacheFile is where one source's candidates of one scope are stored: per API server, and per
 * project for project sources; null when the scope is incomplete or the values are local.
 */
export function cacheFile(env: NodeJS.ProcessEnv, scope: CacheScope, source: Source): string | null {
  const perProject = source.scope === "project";
  if (source.scope === "local" || (perProject && !scope.project)) return null;
  // Hash the URL so any server address becomes a safe directory name.
  const server = fnv1a64(scope.apiUrl);
  const sub = perProject ? path.join(server, safeName(scope.project!)) : server;
  return path.join(cacheDir(env), sub, `${safeName(source.kind)}.json`);
}

/** readCache returns the stored candidates, or undefined when none were stored or the file is unreadable. */
export function readCache(env: NodeJS.ProcessEnv, scope: CacheScope, source: Source): CacheEntry | undefined {
  const file = cacheFile(env, scope, source);
  const text = file ? readPrivateFile(file) : undefined;
  if (text === undefined) return undefined;
  try {
    const entry = JSON.parse(text) as CacheEntry;
    return Array.isArray(entry.candidates) && typeof entry.at === "number" ? entry : undefined;
  } catch {
    return undefined;
  }
}

/** writeCache stores candidates atomically (0600: IDs and names are the user's data); failures are ignored. */
export function writeCache(
  env: NodeJS.ProcessEnv,
  scope: CacheScope,
  source: Source,
  candidates: Candidate[],
  now = Date.now(),
): void {
  const file = cacheFile(env, scope, source);
  if (file) writePrivateFile(file, JSON.stringify({ at: now, candidates } satisfies CacheEntry));
}

/**
 * fnv1a64 is the 64-bit FNV-1a hash of a string's UTF-16 code units as 16 hex digits. It names a
 * directory, no secret depends on it, and it spares a TAB loading node:crypto (about as long as the
 * rest of a warm answer).
 */
function fnv1a64(s: string): string {
  // The 64-bit state in four 16-bit lanes, so every product stays exact in a double.
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  for (let i = 0; i < s.length; i++) {
    h0 ^= s.charCodeAt(i);
    // Multiply by the FNV prime 2^40 + 0x1b3.
    const t0 = h0 * 0x1b3;
    const t1 = h1 * 0x1b3 + (t0 >>> 16);
    const t2 = h2 * 0x1b3 + (t1 >>> 16) + (h0 << 8);
    const t3 = h3 * 0x1b3 + (t2 >>> 16) + (h1 << 8);
    h0 = t0 & 0xffff;
    h1 = t1 & 0xffff;
    h2 = t2 & 0xffff;
    h3 = t3 & 0xffff;
  }
  return [h3, h2, h1, h0].map((h) => h.toString(16).padStart(4, "0")).join("");
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, "_");
}
