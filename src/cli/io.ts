import type { Readable, Writable } from "node:stream";
import { escapeControls, escapeControlsKeepLines } from "./output/escape.js";

/** IO is where a command reads input and writes results (stdout) and chatter (stderr). */
export interface IO {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean };
  /** Whether stdout is a terminal (tables get colour and a width). */
  isStdoutTTY: boolean;
  /** Whether stdin and stderr are terminals, so prompts can be shown. */
  canPrompt: boolean;
  /** Whether ANSI colour may be used on stdout. */
  color: boolean;
  /** Terminal width, or undefined when not a terminal. */
  width: number | undefined;
  /** out writes a line to stdout; control characters other than line feeds and tabs show as escapes. */
  out(line: string): void;
  /** err writes a line to stderr; control characters other than line feeds and tabs show as escapes. */
  err(line: string): void;
  /** spin shows a spinner with a label on stderr (only on a TTY) until the returned stop is called. */
  spin(label: string): () => void;
}

/** IOOptions selects the streams and the colour preference. */
export interface IOOptions {
  stdin?: IO["stdin"];
  stdout?: IO["stdout"];
  stderr?: IO["stderr"];
  env?: NodeJS.ProcessEnv;
  /** --no-color given. */
  noColor?: boolean;
}

/** createIO builds IO over the process streams (or given ones); colour only on a TTY without NO_COLOR. */
export function createIO(opts: IOOptions = {}): IO {
  const stdin = opts.stdin ?? process.stdin;
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  const env = opts.env ?? process.env;
  const isStdoutTTY = stdout.isTTY === true;
  const noColorEnv = env.NO_COLOR !== undefined && env.NO_COLOR !== "";
  return {
    stdin,
    stdout,
    stderr,
    isStdoutTTY,
    canPrompt: stdin.isTTY === true && stderr.isTTY === true,
    color: isStdoutTTY && !noColorEnv && !opts.noColor && env.TERM !== "dumb",
    width: isStdoutTTY ? stdout.columns : undefined,
    out: (line) => stdout.write(`${escapeControlsKeepLines(line)}\n`),
    err: (line) => stderr.write(`${escapeControlsKeepLines(line)}\n`),
    spin: (label) => startSpinner(stderr, label),
  };
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

function startSpinner(stderr: IO["stderr"], label: string): () => void {
  if (stderr.isTTY !== true) return () => {};
  let i = 0;
  // Delay the first frame so fast calls never flicker.
  const timer = setInterval(() => {
    stderr.write(`\r${FRAMES[i++ % FRAMES.length]} ${escapeControls(label)}`);
  }, 100);
  timer.unref();
  return () => {
    clearInterval(timer);
    if (i > 0) stderr.write("\r\x1b[2K");
  };
}
