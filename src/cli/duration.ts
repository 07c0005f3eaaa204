import { usageError } from "./errors.js";

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** parseDuration reads durations like `30s`, `15m`, `12h`, `30d`, `2w` or `1d12h` into milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const s = text.trim();
  const re = /(\d+)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * UNITS[m[2]!]!;
    matched = re.lastIndex;
  }
  if (!s || matched !== s.length || total <= 0) {
    throw usageError(`${flag} "${text}" is not a duration`, "use e.g. 30s, 15m, 12h, 30d or 2w");
  }
  return total;
}
