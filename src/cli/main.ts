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
 * run starts oclif for the package whose bin is `binUrl`; it is the CLI's one entry besides
 * completion, so the bundle holds oclif in the chunks every command shares. A command runs from
 * dist/dispatch, whose manifest holds no help texts (scripts/dispatch-manifest.js), which oclif parses
 * in a fraction of the full one's time; help, topics and unknown commands load the full manifest.
 */
export async function run(binUrl: string): Promise<void> {
  const dispatch = new URL("../dist/dispatch/", binUrl);
  const names = new Set<string>(JSON.parse(readFileSync(new URL("command-names.json", dispatch), "utf8")));
  const slim = runsCommand(process.argv.slice(2), names);
  await execute(slim ? { loadOptions: dispatch.href } : { dir: binUrl });
}
