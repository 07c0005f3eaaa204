/** MAX_ECHO is how many characters of a client's input an error message repeats. */
const MAX_ECHO = 32;

// Controls, bidi formatting characters, quotes, backslashes, line separators, lone surrogates and
// U+FFFD are shown as \uXXXX.
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u001f\u007f-\u009f"\\\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\p{Cs}\ufffd]/gu;

/**
 * escapeForMessage quotes at most the first 32 characters of client input for an error message, with
 * every character that could steer a terminal or break the quoting written as \uXXXX.
 */
export function escapeForMessage(value: string): string {
  const prefix = value.length > MAX_ECHO ? value.slice(0, MAX_ECHO) : value;
  const escaped = prefix.replace(
    UNSAFE,
    (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`,
  );
  return `"${escaped}"${value.length > MAX_ECHO ? "…" : ""}`;
}
