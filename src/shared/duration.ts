const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  y: 365 * 86_400_000,
};

/** DURATION_EXAMPLES lists durations to show in an error message about one that could not be read. */
export const DURATION_EXAMPLES = "30s, 15m, 12h, 30d, 2w or 1y";

/**
 * parseDuration reads a duration such as `250ms`, `30s`, `15m`, `12h`, `30d`, `2w`, `1y` (365 days),
 * or a sum of them like `1d12h`, into milliseconds; undefined for anything else, zero included.
 * The server and the CLI read every duration flag with it, so both accept the same grammar.
 */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  const part = /(\d+)(ms|s|m|h|d|w|y)/gy;
  let total = 0;
  let end = 0;
  for (let m = part.exec(s); m; m = part.exec(s)) {
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    end = part.lastIndex;
  }
  if (!s || end !== s.length || total <= 0 || !Number.isSafeInteger(total)) return undefined;
  return total;
}
