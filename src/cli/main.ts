import { readFileSync } from "node:fs";
import { execute } from "@oclif/core";

/** The flags after which oclif shows help instead of running a command (package.json additionalHelpFlags). */
const helpFlags = new Set(["--help", "-h"]);

/**
 * runsCommand tells whether `argv` runs a command (or prints the version) rather than showing help or
 * suggestions: no help flag before `--`, and its leading words name a command or alias in `names`.
 */
export function runsCommand(argv: string[], names: ReadonlySet<string>): boolean {
  const end = argv.indexOf("--");
  if (argv.slice(0, end === -1 ? undefined : end).some((a) => helpFlags.has(a))) return false;
  if (argv[0] === "--version") return true;
  const words: string[] = [];
  for (const a of argv) {
    if (a.startsWith("-")) break;
    words.push(a);
  }
  for (let n = words.length; n > 0; n--) {
    if (names.has(words.slice(0, n).join(":"))) return true;
  }
  return false;
}

/**
 * manifestFor picks the manifest oclif loads for `argv`: "dispatch" (no help texts) to run a command,
 * "topics" (summaries, no flags) for the root and topic help pages, "full" for a command's help,
 * other flags and anything unknown (suggestions). scripts/dispatch-manifest.js writes the first two.
 */
export function manifestFor(argv: string[], names: ReadonlySet<string>): "dispatch" | "topics" | "full" {
  if (runsCommand(argv, names)) return "dispatch";
  const words = argv.filter((a) => !helpFlags.has(a));
  if (words.some((w) => w.startsWith("-"))) return "full";
  const named = words[0] === "help" ? words.slice(1) : words;
  for (let n = named.length; n > 0; n--) {
    if (names.has(named.slice(0, n).join(":"))) return "full";
  }
  return "topics";
}

/**
 * run starts oclif for the package whose bin is `binUrl`; it is the CLI's one entry besides
 * completion, so the bundle holds oclif in the chunks every command shares. oclif parses a smaller
 * manifest in a fraction of the full one's time, so each invocation loads the smallest that serves
 * it (manifestFor).
 */
export async function run(binUrl: string): Promise<void> {
  const dist = new URL("../dist/", binUrl);
  const names = new Set<string>(
    JSON.parse(readFileSync(new URL("dispatch/command-names.json", dist), "utf8")),
  );
  const manifest = manifestFor(process.argv.slice(2), names);
  await execute(manifest === "full" ? { dir: binUrl } : { loadOptions: new URL(`${manifest}/`, dist).href });
}
