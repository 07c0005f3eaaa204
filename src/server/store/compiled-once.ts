import type { Compilable } from "kysely";
import { KEEP_ROWS } from "./sqlite-statements.js";

// Per query creator (the database, or one transaction), whose dialect fixes the text.
const texts = new WeakMap<object, Map<string, string>>();

/**
 * compiledOnce returns the SQL text `build` compiles to, building and compiling it only the first
 * time `ex` asks for `key`: for hot statements whose text never changes, only their parameters do.
 * `keepRows` marks a read whose answer depends on the stored rows alone (KEEP_ROWS).
 */
export function compiledOnce(
  ex: object,
  key: string,
  build: () => Compilable,
  opts: { keepRows?: boolean } = {},
): string {
  let byKey = texts.get(ex);
  if (!byKey) {
    byKey = new Map();
    texts.set(ex, byKey);
  }
  let text = byKey.get(key);
  if (text === undefined) {
    text = (opts.keepRows ? KEEP_ROWS : "") + build().compile().sql;
    byKey.set(key, text);
  }
  return text;
}
