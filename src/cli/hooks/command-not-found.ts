import type { Hook } from "@oclif/core";
import { formatCliError, usageError } from "../errors.js";

/**
 * commandNotFound answers an unknown command with the nearest known commands and topics, spelled
 * with spaces as they are typed (`machine list`, never `machine:list`), and exits 2 (usage).
 */
const commandNotFound: Hook.CommandNotFound = async function (opts) {
  const typed = opts.id.replaceAll(":", " ");
  const known = [
    ...opts.config.commands
      .flatMap((c) => [c.id, ...c.aliases])
      .filter((id) => !opts.config.findCommand(id)?.hidden),
    ...opts.config.topics.map((t) => t.name),
  ].map((id) => id.replaceAll(":", " "));
  const near = nearest(typed, [...new Set(known)]);
  const hint = near.length
    ? `did you mean ${near.map((n) => `\`metalctl ${n}\``).join(" or ")}?`
    : "see `metalctl --help` for the commands";
  process.stderr.write(formatCliError(usageError(`unknown command "${typed}"`, hint), { json: false }));
  this.exit(2);
};

export default commandNotFound;

/**
 * nearest picks up to three candidates closest to what was typed by edit distance: close enough for a
 * typo, and at most one edit further than the best.
 */
export function nearest(typed: string, candidates: string[]): string[] {
  const limit = Math.max(2, Math.floor(typed.length / 3));
  const close = candidates
    .map((c) => ({ c, d: distance(typed, c) }))
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c));
  const best = close[0]?.d ?? 0;
  return close
    .filter((x) => x.d <= best + 1)
    .slice(0, 3)
    .map((x) => x.c);
}

/** distance is the Levenshtein edit distance of two strings. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const same = a[i - 1] === b[j - 1];
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (same ? 0 : 1)));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
