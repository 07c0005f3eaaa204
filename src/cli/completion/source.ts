import type { Deps } from "../deps.js";
import type { Candidate } from "./cache.js";

/** SourceScope says whose values a completion kind lists: one project's, the API server's, or the local config's. */
export type SourceScope = "project" | "server" | "local";

/**
 * Source names a kind of dynamic completion values. The kind is the name of the resource module
 * that lists them (`src/cli/resources/<kind>.ts`, which exports `completion`).
 */
export interface Source {
  kind: string;
  scope: SourceScope;
}

/**
 * Completions are the sources a command's flags and arguments take values from. Every command has
 * them as its static `completion` property, which oclif copies into `oclif.manifest.json`, so a TAB
 * learns them without loading any command.
 */
export interface Completions {
  flags: Record<string, Source>;
  args: Record<string, Source>;
}

/**
 * CompletionSource is what a resource module exports as `completion`: how to list its values;
 * `project` is the selected project's ID (resolved from a name as commands do), "" for other scopes.
 */
export interface CompletionSource {
  candidates(deps: Deps, project: string): Promise<Candidate[]>;
}

/**
 * completeFrom declares that a flag or argument takes values of a source; spread it into the
 * definition: `Flags.string({ summary: "…", ...completeFrom(network.ref) })`.
 */
export function completeFrom(source: Source): { completion: Source } {
  return { completion: { kind: source.kind, scope: source.scope } };
}

type Declared = Record<string, { completion?: Source }>;

/** completionsOf collects what a command's flags, base flags and arguments declared with `completeFrom`. */
export function completionsOf(cmd: { flags?: object; baseFlags?: object; args?: object }): Completions {
  return {
    flags: sources({ ...(cmd.baseFlags as Declared), ...(cmd.flags as Declared) }),
    args: sources((cmd.args ?? {}) as Declared),
  };
}

function sources(defs: Declared): Record<string, Source> {
  const out: Record<string, Source> = {};
  for (const [name, def] of Object.entries(defs)) if (def?.completion) out[name] = def.completion;
  return out;
}
