/** LogLevel orders log lines by severity. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** Logger writes structured JSON lines; fields must never carry secrets. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** createLogger returns a logger writing one JSON object per line to `out` (stdout by default). */
export function createLogger(
  level: LogLevel,
  out: (line: string) => void = (l) => process.stdout.write(l),
): Logger {
  const write = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (rank[lvl] < rank[level]) return;
    out(`${JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...fields })}\n`);
  };
  return {
    debug: (m, f) => write("debug", m, f),
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
  };
}

/** silentLogger discards everything; tests use it unless they assert on log lines. */
export const silentLogger: Logger = createLogger("error", () => {});
