import { CliError, ExitCode, usageError } from "../errors.js";
import type { JsonValue } from "./printer.js";

/** JqRunner filters JSON through a jq program and returns the text jq prints. */
export type JqRunner = (input: JsonValue, program: string) => string;

/**
 * loadJq loads the real jq (1.8, compiled to WebAssembly); commands call it only when `--jq` is
 * given, so nothing else pays for it. Like `gh --jq`, string results print without quotes and each
 * result ends with a newline. A program jq cannot compile is a usage error quoting jq's message and
 * position, a program that fails on the data an error.
 */
export async function loadJq(): Promise<JqRunner> {
  const jq = await (await import("jq-wasm")).loadJq();
  return (input, program) => {
    const result = jq.raw(input, program, ["-r"]);
    if (result.exitCode === 0) return result.stdout ? `${result.stdout}\n` : "";
    const message = result.stderr
      .split("\n")
      .filter((l) => l && !/^\s/.test(l) && !/^jq: \d+ compile errors?$/.test(l))
      .map((l) => l.replace(/^jq: error( \(at [^)]*\))?: /, "").replace(/:$/, ""))
      .join("; ");
    if (result.exitCode === 3) {
      throw usageError(`--jq: ${message}`, "see https://jqlang.org/manual for jq programs");
    }
    throw new CliError(`--jq: ${message}`, ExitCode.error);
  };
}
