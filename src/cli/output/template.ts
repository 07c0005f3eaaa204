import type { TemplateFunction } from "./template/arguments.js";
import { builtins } from "./template/builtins.js";
import { execute } from "./template/exec.js";
import { parse } from "./template/parse.js";
import { sprig } from "./template/sprig.js";
import type { Value } from "./template/values.js";

const functions: Record<string, TemplateFunction> = { ...builtins, ...sprig };

/** templateFunctions lists the function names templates can call (for help texts). */
export const templateFunctions: readonly string[] = Object.keys(functions).sort();

/** Template is a parsed template, ready to be executed against JSON values. */
export interface Template {
  /** execute runs the template on one JSON value; `now` is the time `ago` measures from. */
  execute(data: unknown, now?: Date): string;
}

/**
 * parseTemplate parses a Go text/template (as metal-stack users write them for `-o template`):
 * fields, variables, pipelines, if/with/range with else and else if, break/continue, the trim
 * markers, Go's comparison, logic, index, len and print functions, and the sprig functions join,
 * upper, lower, default, trunc, contains, hasPrefix, split, toJson, date and ago. Errors are usage
 * errors that name the line and column.
 */
export function parseTemplate(source: string): Template {
  const nodes = parse(source, (name) => functions[name]);
  return {
    execute: (data, now = new Date()) => execute(source, nodes, data as Value, functions, { now }),
  };
}
