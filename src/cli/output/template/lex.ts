import { TemplateError } from "./position.js";

/** TokenKind names the pieces a template splits into (text outside actions, words inside). */
export type TokenKind =
  | "text"
  | "open"
  | "close"
  | "space"
  | "keyword"
  | "ident"
  | "field"
  | "variable"
  | "dot"
  | "string"
  | "number"
  | "bool"
  | "nil"
  | "pipe"
  | "lparen"
  | "rparen"
  | "declare"
  | "assign"
  | "comma"
  | "eof";

/** Token is one lexed piece; `value` holds decoded strings and numbers, `pos` the offset in the source. */
export interface Token {
  kind: TokenKind;
  text: string;
  pos: number;
  value?: string | number | boolean;
}

const KEYWORDS = new Set([
  "if",
  "else",
  "end",
  "range",
  "with",
  "break",
  "continue",
  "define",
  "template",
  "block",
]);
const SPACE = /[ \t\r\n]/;
const ALNUM = /[\p{L}\p{Nd}_]/u;
const TERMINATOR = /[ \t\r\n.,|:()]/;

/**
 * lex splits a template into tokens the way Go's text/template does: text between `{{ }}`,
 * words inside, the trim markers `{{- ` and ` -}}` applied to the neighbouring text, and
 * comments `{{/* … *\/}}` dropped.
 */
export function lex(source: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let trimNext = false;
  while (pos < source.length) {
    const open = source.indexOf("{{", pos);
    const textEnd = open < 0 ? source.length : open;
    let text = source.slice(pos, textEnd);
    if (trimNext) text = text.replace(/^[ \t\r\n]+/, "");
    trimNext = false;
    if (open < 0) {
      if (text) tokens.push({ kind: "text", text, pos });
      pos = source.length;
      break;
    }
    let inside = open + 2;
    if (source[inside] === "-" && SPACE.test(source[inside + 1] ?? "")) {
      text = text.replace(/[ \t\r\n]+$/, "");
      inside += 2;
    }
    if (text) tokens.push({ kind: "text", text, pos });
    const after = lexAction(source, open, inside, tokens);
    trimNext = after.trim;
    pos = after.pos;
  }
  tokens.push({ kind: "eof", text: "", pos: source.length });
  return tokens;
}

function lexAction(
  source: string,
  open: number,
  start: number,
  tokens: Token[],
): { pos: number; trim: boolean } {
  let pos = start;
  while (SPACE.test(source[pos] ?? "")) pos++;
  if (source.startsWith("/*", pos)) return lexComment(source, open, pos);
  tokens.push({ kind: "open", text: "{{", pos: open });
  pos = start;
  let depth = 0;
  const push = (kind: TokenKind, end: number, value?: Token["value"]) => {
    tokens.push({ kind, text: source.slice(pos, end), pos, value });
    pos = end;
  };
  for (;;) {
    if (pos >= source.length) throw new TemplateError("unclosed action: missing }}", source, open);
    const closing = closeAt(source, pos);
    if (closing) {
      if (depth > 0) throw new TemplateError("unclosed left paren", source, pos);
      tokens.push({ kind: "close", text: "}}", pos: pos + closing.skip });
      return { pos: pos + closing.skip + 2, trim: closing.trim };
    }
    const c = source[pos]!;
    if (SPACE.test(c)) {
      let end = pos;
      while (SPACE.test(source[end] ?? "") && !closeAt(source, end)) end++;
      push("space", end);
    } else if (c === "|") push("pipe", pos + 1);
    else if (c === ",") push("comma", pos + 1);
    else if (c === "(") {
      depth++;
      push("lparen", pos + 1);
    } else if (c === ")") {
      if (--depth < 0) throw new TemplateError("unexpected right paren", source, pos);
      push("rparen", pos + 1);
    } else if (c === ":") {
      if (source[pos + 1] !== "=") throw new TemplateError('expected ":="', source, pos);
      push("declare", pos + 2);
    } else if (c === "=") push("assign", pos + 1);
    else if (c === '"') push("string", ...quoted(source, pos));
    else if (c === "`") push("string", ...raw(source, pos));
    else if (c === "'") push("number", ...char(source, pos));
    else if (c === "$") push("variable", word(source, pos + 1));
    else if (c === "." && !/[0-9]/.test(source[pos + 1] ?? "")) {
      const end = word(source, pos + 1);
      push(end === pos + 1 ? "dot" : "field", end, source.slice(pos + 1, end));
    } else if (/[0-9.+-]/.test(c)) push("number", ...numberAt(source, pos));
    else if (ALNUM.test(c)) {
      const end = word(source, pos);
      const w = source.slice(pos, end);
      if (w === "true" || w === "false") push("bool", end, w === "true");
      else if (w === "nil") push("nil", end);
      else push(KEYWORDS.has(w) ? "keyword" : "ident", end, w);
    } else {
      const cp = c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
      throw new TemplateError(`unexpected character U+${cp} ${JSON.stringify(c)} in action`, source, pos);
    }
  }
}

/** closeAt recognises `}}` or a trim-marked ` -}}` at pos; skip is the distance to the braces. */
function closeAt(source: string, pos: number): { skip: number; trim: boolean } | undefined {
  if (source.startsWith("}}", pos)) return { skip: 0, trim: false };
  if (SPACE.test(source[pos] ?? "") && source.startsWith("-}}", pos + 1)) return { skip: 2, trim: true };
  return undefined;
}

function lexComment(source: string, open: number, pos: number): { pos: number; trim: boolean } {
  const end = source.indexOf("*/", pos + 2);
  if (end < 0) throw new TemplateError("unclosed comment", source, open);
  let after = end + 2;
  while (SPACE.test(source[after] ?? "") && !closeAt(source, after)) after++;
  const closing = closeAt(source, after);
  if (!closing) throw new TemplateError("comment ends before closing delimiter", source, after);
  return { pos: after + closing.skip + 2, trim: closing.trim };
}

function word(source: string, start: number): number {
  let end = start;
  while (end < source.length && ALNUM.test(source[end]!)) end++;
  const next = source[end];
  if (next !== undefined && !TERMINATOR.test(next) && !closeAt(source, end) && next !== "}") {
    throw new TemplateError(
      `unexpected character ${JSON.stringify(next)} in a name; for keys like "a-b" or "a/b" write index . "a-b"`,
      source,
      end,
    );
  }
  return end;
}

function numberAt(source: string, pos: number): [number, number] {
  const m =
    /^[+-]?(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(\d[\d_]*)?(\.\d[\d_]*)?([eE][+-]?\d+)?)/.exec(
      source.slice(pos),
    );
  const text = m?.[0] ?? "";
  const next = source[pos + text.length];
  if (!/[0-9]/.test(text) || (next !== undefined && ALNUM.test(next))) {
    throw new TemplateError(
      `bad number syntax: ${JSON.stringify(source.slice(pos, pos + text.length + 1))}`,
      source,
      pos,
    );
  }
  const plain = text.replaceAll("_", "");
  const sign = plain.startsWith("-") ? -1 : 1;
  const body = plain.replace(/^[+-]/, "");
  if (/^0\d*[89]\d*$/.test(body))
    throw new TemplateError(`bad number syntax: ${JSON.stringify(text)}`, source, pos);
  const value = /^0[0-7]+$/.test(body) ? Number.parseInt(body, 8) : Number(body);
  return [pos + text.length, sign * value];
}

function quoted(source: string, pos: number): [number, string] {
  let out = "";
  let i = pos + 1;
  for (;;) {
    const c = source[i];
    if (c === undefined || c === "\n") throw new TemplateError("unterminated quoted string", source, pos);
    if (c === '"') return [i + 1, out];
    if (c !== "\\") {
      out += c;
      i++;
      continue;
    }
    const [text, end] = decodeEscape(source, i, '"');
    out += text;
    i = end;
  }
}

function raw(source: string, pos: number): [number, string] {
  const end = source.indexOf("`", pos + 1);
  if (end < 0) throw new TemplateError("unterminated raw quoted string", source, pos);
  return [end + 1, source.slice(pos + 1, end)];
}

function char(source: string, pos: number): [number, number] {
  let text: string;
  let end: number;
  if (source[pos + 1] === "\\") [text, end] = decodeEscape(source, pos + 1, "'");
  else {
    const cp = source.codePointAt(pos + 1);
    if (cp === undefined || cp === 0x27) throw new TemplateError("empty character constant", source, pos);
    text = String.fromCodePoint(cp);
    end = pos + 1 + text.length;
  }
  if (source[end] !== "'") throw new TemplateError("unterminated character constant", source, pos);
  return [end + 1, text.codePointAt(0)!];
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
};

/** decodeEscape decodes one Go escape sequence starting at the backslash; returns the text and the end offset. */
function decodeEscape(source: string, at: number, quote: string): [string, number] {
  const c = source[at + 1] ?? "";
  if (c === quote) return [quote, at + 2];
  if (c in SIMPLE_ESCAPES) return [SIMPLE_ESCAPES[c]!, at + 2];
  const hexLen = c === "x" ? 2 : c === "u" ? 4 : c === "U" ? 8 : 0;
  if (hexLen) {
    const hex = source.slice(at + 2, at + 2 + hexLen);
    if (new RegExp(`^[0-9a-fA-F]{${hexLen}}$`).test(hex)) {
      const code = Number.parseInt(hex, 16);
      if (code <= 0x10ffff) return [String.fromCodePoint(code), at + 2 + hexLen];
    }
  }
  const octal = source.slice(at + 1, at + 4);
  if (/^[0-7]{3}$/.test(octal)) return [String.fromCodePoint(Number.parseInt(octal, 8)), at + 4];
  throw new TemplateError(`unknown escape sequence \\${c}`, source, at);
}
