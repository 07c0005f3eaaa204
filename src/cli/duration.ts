import { DURATION_EXAMPLES, parseDuration as parseDurationText } from "../shared/duration.js";
import { usageError } from "./errors.js";

/** parseDuration reads a duration flag (`30s`, `12h`, `30d`, `1y`, `1d12h`, …) into milliseconds or throws a usage error naming the flag. */
export function parseDuration(text: string, flag: string): number {
  const ms = parseDurationText(text);
  if (ms === undefined)
    throw usageError(`${flag} "${text}" is not a duration`, `use e.g. ${DURATION_EXAMPLES}`);
  return ms;
}
