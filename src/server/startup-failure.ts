import { ConfigError } from "./config.js";

/** UsageError is bad input on the command line; main prints it with the usage hint and exits 2. */
export class UsageError extends Error {}

/** StartupFailure is what `metal-apiserver` prints for an error that stops it, and its exit code. */
export interface StartupFailure {
  /** One line naming the problem and, where known, the setting to change. */
  line: string;
  /** Whether to point at `--help` (the command line itself was wrong). */
  usage: boolean;
  exitCode: 1 | 2;
}

/**
 * startupFailure turns whatever stopped the command into one clear line: bad flags, variables or files
 * exit 2 with a usage hint, everything else (a port in use, an unreachable database) exits 1. Errors of
 * any shape are handled, including ones whose `code` is not a string (a ConnectError's is a number).
 */
export function startupFailure(err: unknown): StartupFailure {
  const code = typeof (err as { code?: unknown })?.code === "string" ? (err as { code: string }).code : "";
  const message = firstLine(err instanceof Error ? err.message : String(err));
  const usage = err instanceof UsageError || err instanceof ConfigError || code.startsWith("ERR_PARSE_ARGS");
  const line =
    code === "EADDRINUSE"
      ? `cannot listen: address already in use (${message}); pick another with --listen`
      : code === "EACCES" || code === "EROFS"
        ? `cannot write data directory: ${message}; pick another with --data-dir`
        : message;
  return { line, usage, exitCode: usage ? 2 : 1 };
}

function firstLine(text: string): string {
  const line = text.split("\n").find((l) => l.trim() !== "") ?? "";
  return line.trim() || "stopped by an error without a message";
}
