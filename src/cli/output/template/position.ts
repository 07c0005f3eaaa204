import { CliError, ExitCode } from "../../errors.js";

/** lineCol turns an offset in the template into a 1-based "line:col" (columns count characters). */
export function lineCol(source: string, pos: number): string {
  const before = source.slice(0, pos);
  const line = before.split("\n").length;
  const col = [...before.slice(before.lastIndexOf("\n") + 1)].length + 1;
  return `${line}:${col}`;
}

/** TemplateError is a usage error in a template; its message starts with the line and column it points at. */
export class TemplateError extends CliError {
  constructor(message: string, source: string, pos: number) {
    super(
      `template:${lineCol(source, pos)}: ${message}`,
      ExitCode.usage,
      "templates follow Go's text/template; see `metalctl --help` for the functions",
    );
  }
}
