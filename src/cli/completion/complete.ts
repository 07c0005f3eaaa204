import { escapeControls } from "../output/escape.js";
import type { Candidate } from "./cache.js";
import type { Completions, Source } from "./source.js";

/** ManifestFlag is the part of an oclif manifest flag that completion needs. */
export interface ManifestFlag {
  name: string;
  char?: string;
  type: "option" | "boolean";
  options?: string[];
  summary?: string;
  hidden?: boolean;
  allowNo?: boolean;
}

/** ManifestCommand is the part of an oclif manifest command that completion needs. */
export interface ManifestCommand {
  id: string;
  summary?: string;
  hidden?: boolean;
  aliases?: string[];
  flags: Record<string, ManifestFlag>;
  args: Record<string, { name: string; options?: string[] }>;
  /** The sources the command's flags and arguments take values from (see `completionsOf`). */
  completion?: Completions;
}

/** Manifest is `oclif.manifest.json`: the whole command tree as data, without loading any command. */
export interface Manifest {
  commands: Record<string, ManifestCommand>;
}

/** Need tells the caller what to complete: fixed candidates, or dynamic values of a kind. */
export type Need =
  | { type: "fixed"; candidates: Candidate[] }
  | { type: "dynamic"; source: Source; prefix: string };

/** Parsed are the facts about the typed command line that dynamic sources need. */
export interface Parsed {
  flags: Record<string, string>;
}

/**
 * plan works out what to complete for `words` (the arguments after the binary; the last one is the
 * word under the cursor, possibly empty), from the manifest alone.
 */
export function plan(manifest: Manifest, words: string[]): { need: Need; parsed: Parsed } {
  const ids = commandIndex(manifest);
  const current = words.at(-1) ?? "";
  const done = words.slice(0, -1);
  const path: string[] = [];
  const positionals: string[] = [];
  const flags: Record<string, string> = {};
  let cmd: ManifestCommand | undefined;
  for (let i = 0; i < done.length; i++) {
    const w = done[i]!;
    if (w.startsWith("-")) {
      const [name, inline] = splitFlag(w);
      const flag = findFlag(cmd, name);
      if (flag?.type === "option") {
        if (inline !== undefined) flags[flag.name] = inline;
        else if (i + 1 < done.length) flags[flag.name] = done[++i]!;
        else return { need: valueNeed(cmd!, flag, current), parsed: { flags } };
      }
      continue;
    }
    const next = [...path, w].join(":");
    if (!cmd && hasPrefix(ids, next)) {
      path.push(w);
      cmd = ids.get(next);
      continue;
    }
    positionals.push(w);
  }
  const parsed = { flags };
  if (current.startsWith("-")) {
    const [name, inline] = splitFlag(current);
    if (inline !== undefined) {
      const flag = findFlag(cmd, name);
      return { need: flag ? valueNeed(cmd!, flag, inline, `${name}=`) : fixed([]), parsed };
    }
    return { need: fixed(flagCandidates(cmd ?? globalOnly(manifest))), parsed };
  }
  if (!cmd || (positionals.length === 0 && Object.keys(cmd.args).length === 0)) {
    const sub = subcommands(manifest, path);
    if (sub.length || !cmd) return { need: fixed(sub), parsed };
  }
  const arg = cmd && Object.values(cmd.args)[positionals.length];
  if (arg?.options) return { need: fixed(arg.options.map((value) => ({ value }))), parsed };
  const source = arg && cmd.completion?.args[arg.name];
  return { need: source ? { type: "dynamic", source, prefix: current } : fixed([]), parsed };
}

/** filterCandidates keeps the candidates that start with the typed prefix. */
export function filterCandidates(candidates: Candidate[], prefix: string): Candidate[] {
  return candidates.filter((c) => c.value.startsWith(prefix));
}

/**
 * formatCandidates prints one candidate per line, `value<TAB>description`, as the shell scripts read
 * them. A value with control characters is left out (the shell would put it on the command line
 * raw); descriptions show them as escapes.
 */
export function formatCandidates(candidates: Candidate[]): string {
  return candidates
    .filter((c) => escapeControls(c.value) === c.value)
    .map((c) =>
      c.description ? `${c.value}\t${escapeControls(c.description.replace(/\s+/g, " "))}` : c.value,
    )
    .join("\n");
}

function fixed(candidates: Candidate[]): Need {
  return { type: "fixed", candidates };
}

function valueNeed(cmd: ManifestCommand, flag: ManifestFlag, current: string, emitPrefix = ""): Need {
  if (flag.options) {
    return fixed(flag.options.map((o) => ({ value: `${emitPrefix}${o}` })));
  }
  const source = cmd.completion?.flags[flag.name];
  return source ? { type: "dynamic", source, prefix: current } : fixed([]);
}

function splitFlag(w: string): [string, string | undefined] {
  const eq = w.indexOf("=");
  return eq < 0 ? [w, undefined] : [w.slice(0, eq), w.slice(eq + 1)];
}

function findFlag(cmd: ManifestCommand | undefined, word: string): ManifestFlag | undefined {
  if (!cmd) return undefined;
  const flags = Object.values(cmd.flags);
  if (word.startsWith("--")) return flags.find((f) => f.name === word.slice(2));
  return flags.find((f) => f.char === word.slice(1));
}

function flagCandidates(cmd: ManifestCommand): Candidate[] {
  return Object.values(cmd.flags)
    .filter((f) => !f.hidden)
    .flatMap((f) => {
      const own = { value: `--${f.name}`, description: f.summary ?? "" };
      return f.allowNo ? [own, { value: `--no-${f.name}`, description: "" }] : [own];
    });
}

function globalOnly(manifest: Manifest): ManifestCommand {
  const any = Object.values(manifest.commands)[0];
  const flags = Object.fromEntries(Object.entries(any?.flags ?? {}).filter(([, f]) => isGlobal(f)));
  return { id: "", flags, args: {} };
}

function isGlobal(f: ManifestFlag & { helpGroup?: string }): boolean {
  return f.helpGroup === "GLOBAL";
}

function commandIndex(manifest: Manifest): Map<string, ManifestCommand> {
  const ids = new Map<string, ManifestCommand>();
  for (const c of Object.values(manifest.commands)) {
    ids.set(c.id, c);
    for (const a of c.aliases ?? []) ids.set(a, c);
  }
  return ids;
}

function hasPrefix(ids: Map<string, ManifestCommand>, id: string): boolean {
  for (const k of ids.keys()) if (k === id || k.startsWith(`${id}:`)) return true;
  return false;
}

function subcommands(manifest: Manifest, path: string[]): Candidate[] {
  const seen = new Map<string, string>();
  for (const c of Object.values(manifest.commands)) {
    if (c.hidden) continue;
    const parts = c.id.split(":");
    if (parts.length <= path.length || path.some((p, i) => parts[i] !== p)) continue;
    const word = parts[path.length]!;
    const isLeaf = parts.length === path.length + 1;
    if (!seen.has(word) || isLeaf) seen.set(word, isLeaf ? (c.summary ?? "") : (seen.get(word) ?? ""));
  }
  return [...seen.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([value, description]) => ({ value, description }));
}
