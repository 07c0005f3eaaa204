// Terminals act on C0 (U+0000-U+001F), DEL (U+007F) and C1 (U+0080-U+009F) characters: they move the
// cursor, clear the screen, set the window title, open hyperlinks or answer with text typed into the
// shell. Data from a server is shown with these as visible escapes, never raw.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// JSON.stringify and the YAML printer escape C0 themselves, but leave DEL and C1 raw.
const RAW_AFTER_ENCODING = /[\u007f-\u009f]/g;

const NAMED: Record<string, string> = { "\n": "\\n", "\t": "\\t", "\r": "\\r" };

function visible(ch: string): string {
  return NAMED[ch] ?? `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`;
}

/** escapeControls shows every control character as a visible escape (`\x1b`, `\n`): for one-line text such as a table cell. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, visible);
}

/** escapeControlsKeepLines is escapeControls for multi-line text: line feeds and tabs stay as they are. */
export function escapeControlsKeepLines(text: string): string {
  return text.replace(CONTROL_BUT_LINES, visible);
}

/**
 * escapeEncodedControls escapes what JSON or YAML output still holds raw (DEL and C1) with the
 * format's own escape, so the document parses to the same values and a terminal sees no controls.
 */
export function escapeEncodedControls(text: string, format: "json" | "yaml"): string {
  return text.replace(RAW_AFTER_ENCODING, (ch) => {
    const hex = ch.charCodeAt(0).toString(16).padStart(2, "0");
    return format === "json" ? `\\u00${hex}` : `\\x${hex}`;
  });
}
