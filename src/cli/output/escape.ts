// Terminals act on C0 (U+0000-U+001F), DEL (U+007F) and C1 (U+0080-U+009F) characters: they move the
// cursor, clear the screen, set the window title, open hyperlinks or answer with text typed into the
// shell. Bidirectional formatting characters (embeddings, overrides, isolates and the LRM/RLM/ALM
// marks) reorder what is shown, so a name can read as another ("Trojan Source"). Data from a server
// is shown with all of these as visible escapes, never raw.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_BUT_LINES =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// JSON.stringify and the YAML printer escape C0 themselves, but leave DEL, C1 and bidi characters raw.
const RAW_AFTER_ENCODING = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** BIDI finds a bidirectional formatting character. */
export const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const NAMED: Record<string, string> = { "\n": "\\n", "\t": "\\t", "\r": "\\r" };

function hex(ch: string, width: number): string {
  return ch.charCodeAt(0).toString(16).padStart(width, "0");
}

function visible(ch: string): string {
  const code = ch.charCodeAt(0);
  return NAMED[ch] ?? (code <= 0xff ? `\\x${hex(ch, 2)}` : `\\u${hex(ch, 4)}`);
}

/** escapeControls shows every control character as a visible escape (`\x1b`, `\n`, `\u202e`): for one-line text such as a table cell. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, visible);
}

/** escapeControlsKeepLines is escapeControls for multi-line text: line feeds and tabs stay as they are. */
export function escapeControlsKeepLines(text: string): string {
  return text.replace(CONTROL_BUT_LINES, visible);
}

/**
 * escapeEncodedControls escapes what JSON or YAML output still holds raw (DEL, C1 and bidi characters)
 * with the format's own escape, so the document parses to the same values and a terminal sees no
 * controls. In YAML, a string holding a bidi character must be double-quoted for its escape to be read back.
 */
export function escapeEncodedControls(text: string, format: "json" | "yaml"): string {
  return text.replace(RAW_AFTER_ENCODING, (ch) => {
    const code = ch.charCodeAt(0);
    if (format === "json") return `\\u${hex(ch, 4)}`;
    return code <= 0xff ? `\\x${hex(ch, 2)}` : `\\u${hex(ch, 4)}`;
  });
}
