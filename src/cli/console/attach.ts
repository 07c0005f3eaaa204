import { usageError } from "../errors.js";
import type { IO } from "../io.js";
import { createEscapeFilter } from "./escape.js";

/** WindowSize is the terminal's size in character cells. */
export interface WindowSize {
  columns: number;
  rows: number;
}

/** ConsoleSession opens the stream: `requests` yields the first message (with the size), then input and resizes. */
export interface ConsoleSession<R> {
  first(size: WindowSize): R;
  input(bytes: Uint8Array): R;
  resize(size: WindowSize): R;
  open(requests: AsyncIterable<R>, signal: AbortSignal): AsyncIterable<{ output: Uint8Array }>;
}

type Tty = IO["stdin"] & { setRawMode?(raw: boolean): unknown; isRaw?: boolean };
type TtyOut = IO["stdout"] & { rows?: number };

/** SIGNALS end a console session with the terminal restored (in raw mode Ctrl-C is a keystroke, not SIGINT). */
const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

const HELP =
  "\r\nSupported escape sequences (after Enter):\r\n  ~.  leave the console\r\n  ~?  this help\r\n  ~~  send ~\r\n";

/**
 * attachConsole connects the terminal to a console stream until the console ends or the user types
 * `~.`: the terminal is in raw mode meanwhile (Ctrl-C goes to the machine), keystrokes go out as
 * they are typed, output is written as it comes, and a resize sends the new size. The terminal is
 * restored on every way out: the end of the stream, an error, `~.`, SIGINT/SIGTERM/SIGHUP, and process exit.
 * Without a terminal on stdin and stdout it is a usage error (exit 2).
 */
export async function attachConsole<R>(io: IO, what: string, session: ConsoleSession<R>): Promise<void> {
  const stdin = io.stdin as Tty;
  const stdout = io.stdout as TtyOut;
  if (stdin.isTTY !== true || stdout.isTTY !== true || typeof stdin.setRawMode !== "function") {
    throw usageError(
      `the console of ${what} needs a terminal on stdin and stdout`,
      "run it in an interactive terminal (not piped or redirected)",
    );
  }
  const size = (): WindowSize => ({ columns: stdout.columns ?? 80, rows: stdout.rows ?? 24 });
  const abort = new AbortController();
  const requests = createQueue<R>();
  const escapes = createEscapeFilter();
  let signalled: NodeJS.Signals | undefined;

  const onData = (chunk: Buffer) => {
    const r = escapes(chunk);
    if (r.send.length > 0) requests.push(session.input(r.send));
    if (r.help) stdout.write(HELP);
    if (r.leave) abort.abort();
  };
  const onResize = () => requests.push(session.resize(size()));
  const onSignal = (sig: NodeJS.Signals) => {
    signalled = sig;
    abort.abort();
  };
  const wasRaw = stdin.isRaw === true;
  const restore = () => {
    stdin.setRawMode?.(wasRaw);
  };

  io.stderr.write(`Connected to the console of ${what}. Type ~. after Enter to leave, ~? for help.\r\n`);
  requests.push(session.first(size()));
  stdin.setRawMode(true);
  process.once("exit", restore);
  for (const sig of SIGNALS) process.once(sig, onSignal);
  stdin.on("data", onData);
  stdin.resume();
  stdout.on("resize", onResize);
  try {
    for await (const res of session.open(requests, abort.signal)) {
      if (res.output.length > 0) stdout.write(res.output);
    }
  } catch (err) {
    if (!abort.signal.aborted) throw err;
  } finally {
    requests.end();
    stdout.off("resize", onResize);
    stdin.off("data", onData);
    stdin.pause();
    restore();
    process.off("exit", restore);
    for (const sig of SIGNALS) process.off(sig, onSignal);
  }
  io.stderr.write(`\r\nConnection to the console of ${what} closed.\r\n`);
  // Die of the signal as if unhandled (exit 128+n), now that the terminal is restored.
  if (signalled) process.kill(process.pid, signalled);
}

/** createQueue is an unbounded async queue of requests: push adds, end finishes the iteration. */
function createQueue<T>(): AsyncIterable<T> & { push(item: T): void; end(): void } {
  const items: T[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  return {
    push(item) {
      if (ended) return;
      items.push(item);
      wake?.();
    },
    end() {
      ended = true;
      wake?.();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const item = items.shift();
        if (item !== undefined) {
          yield item;
          continue;
        }
        if (ended) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    },
  };
}
