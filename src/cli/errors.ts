import type { ConnectError } from "@connectrpc/connect";
import { escapeControls, escapeControlsKeepLines, escapeEncodedControls } from "./output/escape.js";

/**
 * Code holds the gRPC/Connect status codes (fixed by the protocol). They are repeated here instead
 * of importing Connect's enum so that commands that never call the API do not load Connect.
 */
const Code = {
  Canceled: 1,
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Aborted: 10,
  OutOfRange: 11,
  Unavailable: 14,
  Unauthenticated: 16,
} as const;

/** isConnectError recognises a ConnectError without importing Connect. */
export function isConnectError(err: unknown): err is ConnectError {
  return (
    err instanceof Error && err.name === "ConnectError" && typeof (err as ConnectError).code === "number"
  );
}

/** hasCode tells a ConnectError with the named status code, e.g. hasCode(err, "PermissionDenied"). */
export function hasCode(err: unknown, code: keyof typeof Code): err is ConnectError {
  return isConnectError(err) && err.code === Code[code];
}

/** ExitCode lists metalctl's documented, stable process exit codes. */
export const ExitCode = {
  ok: 0,
  error: 1,
  usage: 2,
  unauthenticated: 3,
  permissionDenied: 4,
  notFound: 5,
  conflict: 6,
  unavailable: 7,
  interrupted: 130,
} as const;

/** ExitCodeValue is one of the documented exit codes. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** exitCodeHelp is the exit code table shown in `metalctl --help` and the README. */
export const exitCodeHelp = [
  "0  success",
  "1  error (anything not listed below)",
  "2  usage: bad or missing flags or arguments, no project selected",
  "3  not logged in, or the session expired",
  "4  permission denied",
  "5  not found",
  "6  conflict or failed precondition (already exists, changed by someone else)",
  "7  server unavailable or timeout",
  "130  interrupted (Ctrl-C at a prompt)",
].join("\n");

/** CliError is an error with a one-line cause, an optional next step and a documented exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue = ExitCode.error,
    public hint?: string,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/**
 * formatCliError is the stderr text of a failed command: `Error: cause — next step`, or one JSON
 * object under `-o json`. Server messages may carry control characters; they never reach the terminal
 * raw, and `stack` (with --debug) is escaped the same way.
 */
export function formatCliError(e: CliError, opts: { json: boolean; stack?: string }): string {
  const main = opts.json
    ? escapeEncodedControls(
        JSON.stringify({ error: { message: e.message, hint: e.hint, exitCode: e.exitCode } }),
        "json",
      )
    : `Error: ${escapeControls(e.message)}${e.hint ? ` — ${escapeControls(e.hint)}` : ""}`;
  return `${main}\n${opts.stack ? `${escapeControlsKeepLines(opts.stack)}\n` : ""}`;
}

/** usageError builds a CliError with the usage exit code. */
export function usageError(message: string, hint?: string): CliError {
  return new CliError(message, ExitCode.usage, hint);
}

/**
 * interrupted is the error of a prompt left with Ctrl-C: the user knows what happened, so nothing is
 * printed, and the exit code is the shell's for SIGINT.
 */
export function interrupted(): CliError {
  return new CliError("", ExitCode.interrupted);
}

/** sessionExpired is the error shown when a token is missing, expired or cannot be renewed. */
export function sessionExpired(detail = "session expired"): CliError {
  return new CliError(detail, ExitCode.unauthenticated, "run `metalctl login`");
}

interface OclifLikeError {
  oclif?: { exit?: number };
  code?: string;
  /** The missing arguments of oclif's RequiredArgsError. */
  args?: { name: string; description?: string }[];
}

/**
 * toCliError maps anything thrown to a CliError: Connect codes to exit codes with a next step,
 * oclif parse errors to usage, network failures to unavailable.
 */
export function toCliError(err: unknown): CliError {
  if (err instanceof CliError) return err;
  // Errors thrown inside client interceptors (e.g. an expired session) arrive wrapped by Connect.
  if (isConnectError(err) && err.cause instanceof CliError) return err.cause;
  if (isConnectError(err)) return fromConnectError(err);
  const e = err as Error & OclifLikeError;
  if (
    e?.oclif?.exit === 2 ||
    /^(Nonexistent flag|Unexpected argument|Missing required|Missing \d+ required|Expected )/.test(
      e?.message ?? "",
    )
  ) {
    if (/^Missing \d+ required arg/.test(e.message) && e.args?.length) return missingArgs(e.args);
    return new CliError(firstLine(e.message), ExitCode.usage, "see `--help` for the flags");
  }
  const network = networkFailure(err);
  if (network) return serverUnavailable(network);
  return new CliError(firstLine(e?.message ?? String(err)));
}

/** missingArgs names each missing argument with its description, e.g. `missing argument ID (ID or name)`. */
function missingArgs(args: { name: string; description?: string }[]): CliError {
  const named = args.map(
    (a) => `${a.name.toUpperCase()}${a.description ? ` (${a.description.replace(/\.$/, "")})` : ""}`,
  );
  return new CliError(
    `missing argument${args.length === 1 ? "" : "s"} ${named.join(", ")}`,
    ExitCode.usage,
    "see `--help` for the arguments",
  );
}

/**
 * NETWORK_FAILURES are the Node.js and undici error codes of a connection that could not be opened or
 * broke mid-call (`socket hang up` is ECONNRESET): the server is down, restarting or unreachable,
 * never a conflict in the data.
 */
const NETWORK_FAILURES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ERR_STREAM_PREMATURE_CLOSE",
  "ERR_HTTP2_STREAM_ERROR",
  "ERR_HTTP2_SESSION_ERROR",
  "ERR_HTTP2_GOAWAY_SESSION",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_CLOSED",
]);

/** networkFailure finds a connection failure's code in an error or its chain of causes. */
function networkFailure(err: unknown): string | undefined {
  const seen = new Set<unknown>();
  for (let e = err; e instanceof Error && !seen.has(e); e = e.cause) {
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_FAILURES.has(code)) return code;
  }
  return undefined;
}

function serverUnavailable(code: string): CliError {
  const broke =
    code === "ECONNRESET" || code === "EPIPE" || code.startsWith("UND_ERR_") || code.startsWith("ERR_");
  return new CliError(
    broke ? `the connection to the API server broke (${code})` : `cannot reach the API server (${code})`,
    ExitCode.unavailable,
    "check --api-url and that the server runs, then retry",
  );
}

function fromConnectError(err: ConnectError): CliError {
  // The client turns a dropped connection into Aborted or Internal; the server never sends those with a cause.
  const network = err.cause === undefined ? undefined : networkFailure(err.cause);
  if (network) return serverUnavailable(network);
  const msg = firstLine(err.rawMessage || err.message);
  switch (err.code) {
    case Code.Unauthenticated:
      // The server's message already says how to recover; the hint says it once, for this CLI.
      return new CliError(
        msg.replace(/; log in again\b.*$/, "") || "not logged in",
        ExitCode.unauthenticated,
        "run `metalctl login` (or use a valid API token)",
      );
    case Code.PermissionDenied:
      return new CliError(
        msg || "permission denied",
        ExitCode.permissionDenied,
        "ask an owner of the project or tenant for a role that allows this",
      );
    case Code.NotFound:
      return new CliError(
        msg || "not found",
        ExitCode.notFound,
        "check the id, the project (--project) and the context",
      );
    case Code.AlreadyExists:
      return new CliError(msg || "already exists", ExitCode.conflict);
    case Code.FailedPrecondition:
    case Code.Aborted:
      return new CliError(
        msg || "precondition failed",
        ExitCode.conflict,
        "read the resource again and retry",
      );
    case Code.InvalidArgument:
    case Code.OutOfRange:
      return new CliError(msg || "invalid argument", ExitCode.usage);
    case Code.Unavailable:
      return new CliError(
        `API server unavailable: ${msg}`,
        ExitCode.unavailable,
        "check --api-url and that the server runs, then retry",
      );
    case Code.DeadlineExceeded:
      return new CliError("the request timed out", ExitCode.unavailable, "retry, or raise --timeout");
    case Code.Canceled:
      return new CliError("cancelled", ExitCode.error);
    case Code.ResourceExhausted:
      return new CliError(msg || "too many requests", ExitCode.unavailable, "wait a moment and retry");
    default:
      return new CliError(msg || `server error (code ${err.code})`, ExitCode.error);
  }
}

function firstLine(s: string): string {
  return (s ?? "").split("\n")[0]!.trim();
}

/**
 * permissionNeeded reads what would have allowed a refused call from the server's
 * PermissionDeniedDetail; the generated schema is imported only on this error path.
 */
export async function permissionNeeded(err: unknown): Promise<string | undefined> {
  if (!isConnectError(err) || err.code !== Code.PermissionDenied) return undefined;
  const { PermissionDeniedDetailSchema } = await import("../gen/metalstack/api/v2/common_pb.js");
  return err.findDetails(PermissionDeniedDetailSchema)[0]?.needed || undefined;
}

/**
 * permissionHint turns what the server says would have allowed a call into the next step: a role
 * comes from an owner, a method grant from a new API token (or a login as the user).
 */
export function permissionHint(needed: string): string {
  if (needed.startsWith("the API token")) {
    return "the token lacks this grant: create one that has it (metalctl token create --project-role, --tenant-role or --permission) or run `metalctl login`";
  }
  return `ask an owner for ${needed}`;
}
