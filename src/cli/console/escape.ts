const TILDE = 0x7e;
const DOT = 0x2e;
const QUESTION = 0x3f;
const CR = 0x0d;
const LF = 0x0a;

/** EscapeResult is what one chunk of keystrokes means: bytes for the console, and whether the user asked to leave or for help. */
export interface EscapeResult {
  send: Uint8Array;
  leave: boolean;
  help: boolean;
}

/**
 * createEscapeFilter reads keystrokes the way ssh does: `~` right after Enter (or at the start) starts
 * an escape; `~.` leaves, `~?` asks for help, `~~` sends one `~`, and `~` followed by anything else
 * sends both. Everything else passes through unchanged. A `~` at the end of a chunk waits for the next.
 */
export function createEscapeFilter(): (chunk: Uint8Array) => EscapeResult {
  let lineStart = true;
  let pending = false;
  return (chunk) => {
    const out: number[] = [];
    let help = false;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i] as number;
      if (pending) {
        pending = false;
        if (b === DOT) return { send: Uint8Array.from(out), leave: true, help };
        if (b === QUESTION) {
          help = true;
          continue;
        }
        if (b !== TILDE) out.push(TILDE);
        out.push(b);
        lineStart = b === CR || b === LF;
        continue;
      }
      if (lineStart && b === TILDE) {
        pending = true;
        continue;
      }
      out.push(b);
      lineStart = b === CR || b === LF;
    }
    return { send: Uint8Array.from(out), leave: false, help };
  };
}
