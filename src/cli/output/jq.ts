import { CliError, ExitCode, usageError } from "../errors.js";
import type { JsonValue } from "./printer.js";

/**
 * runJq filters JSON through a jq program with the real jq (1.8, compiled to WebAssembly), loaded
 * only when a command gets `--jq`. Like `gh --jq`, string results print without quotes; each
 * result ends with a newline. A program jq cannot compile is a usage error quoting jq's message,
 * a program that fails on the data an error.
 */
export async function runJq(input: JsonValue, program: string): Promise<string> {
  const { raw } = await import("jq-wasm");
  const result = await raw(input, program, ["-r"]);
  if (result.exitCode === 0) return result.stdout ? `${result.stdout}\n` : "";
  const message = result.stderr
    .split("\n")
    .filter((l) => l && !/^\s/.test(l) && !/^jq: \d+ compile errors?$/.test(l))
    .map((l) => l.replace(/^jq: error( \(at [^)]*\))?: /, "").replace(/:$/, ""))
    .join("; ");
  if (result.exitCode === 3)
    throw usageError(`--jq: ${message}`, "see https://jqlang.org/manual for jq programs");
  throw new CliError(`--jq: ${message}`, ExitCode.error);
}
