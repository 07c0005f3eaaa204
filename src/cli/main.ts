import { readFileSync } from "node:fs";
import { execute } from "@oclif/core";

/** The flags after which oclif shows help instead of running a command (package.json additionalHelpFlags). */
const helpFlags = new Set(["--help", "-h"]);

/**
 * commandGroup returns the dispatch group of the command `argv` runs (`names` maps every command id
 * and alias to its group), or undefined when it shows help or suggestions instead: a help flag before
 * `--`, or leading words that name no command. `--version` runs from the version command's group.
 */
export function commandGroup(argv: string[], names: ReadonlyMap<string, string>): string | undefined {
  const end = argv.indexOf("--");
  if (argv.slice(0, end === -1 ? undefined : end).some((a) => helpFlags.has(a))) return undefined;
  if (argv[0] === "--version") return names.get("version");
  const words: string[] = [];
  for (const a of argv) {
    if (a.startsWith("-")) break;
    words.push(a);
  }
  return groupNamedBy(words, names);
}

/** groupNamedBy returns the group of the command the longest run of leading `words` names, if any. */
function groupNamedBy(words: string[], names: ReadonlyMap<string, string>): string | undefined {
  for (let n = words.length; n > 0; n--) {
    const group = names.get(words.slice(0, n).join(":"));
    if (group) return group;
  }
  return undefined;
}

/**
 * manifestFor picks the manifest oclif loads for `argv`: "dispatch/<group>" (the command's group,
 * no help texts) to run a command, "topics" (summaries, no flags) for the root and topic help pages,
 * "full" for a command's help, other flags and anything unknown (suggestions).
 * scripts/dispatch-manifest.js writes the first two.
 */
export function manifestFor(argv: string[], names: ReadonlyMap<string, string>): string {
  const group = commandGroup(argv, names);
  if (group) return `dispatch/${group}`;
  const words = argv.filter((a) => !helpFlags.has(a));
  if (words.some((w) => w.startsWith("-"))) return "full";
  return groupNamedBy(words[0] === "help" ? words.slice(1) : words, names) ? "full" : "topics";
}

/**
 * run starts oclif for the package whose bin is `binUrl`; it is the CLI's one entry besides
 * completion, so the bundle holds oclif in the chunks every command shares. oclif parses a smaller
 * manifest in a fraction of the full one's time, so each invocation loads the smallest that serves
 * it (manifestFor).
 */
export async function run(binUrl: string): Promise<void> {
  const dist = new URL("../dist/", binUrl);
  const names = new Map<string, string>(
    Object.entries(JSON.parse(readFileSync(new URL("dispatch/command-names.json", dist), "utf8"))),
  );
  const manifest = manifestFor(process.argv.slice(2), names);
  await execute(manifest === "full" ? { dir: binUrl } : { loadOptions: new URL(`${manifest}/`, dist).href });
}
