import { significant, toFixedEven } from "./decimal.js";
import { isMap, sortedKeys, typeName, type Value } from "./values.js";

/** Spec holds the flags, width and precision of one `%` verb. */
interface Spec {
  minus: boolean;
  plus: boolean;
  space: boolean;
  zero: boolean;
  sharp: boolean;
  width?: number;
  precision?: number;
}

const PLAIN: Spec = { minus: false, plus: false, space: false, zero: false, sharp: false };

/** formatValue prints a value as Go's `%v` does: `map[a:1 b:x]`, `[1 2]`, `<nil>`. */
export function formatValue(v: Value): string {
  return formatArg(v, "v", PLAIN);
}

/** sprint is Go's fmt.Sprint: operands joined, with a space only between two operands that are not strings. */
export function sprint(args: Value[]): string {
  let out = "";
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== "string" && typeof args[i - 1] !== "string") out += " ";
    out += formatValue(a);
  });
  return out;
}

/** sprintln is Go's fmt.Sprintln: operands joined by spaces, ending in a newline. */
export function sprintln(args: Value[]): string {
  return `${args.map(formatValue).join(" ")}\n`;
}

/**
 * sprintf is Go's fmt.Sprintf for template values, with Go's inline complaints (`%!d(string=x)`,
 * `%!s(MISSING)`, `%!(EXTRA …)`). An absent field counts as the zero value the verb expects.
 */
export function sprintf(format: string, args: Value[]): string {
  let out = "";
  let argNum = 0;
  let reordered = false;
  let i = 0;
  const takeIndex = (): boolean => {
    const m = /^\[(\d+)\]/.exec(format.slice(i));
    if (!m) return true;
    reordered = true;
    i += m[0].length;
    const n = Number(m[1]);
    if (n < 1 || n > args.length) return false;
    argNum = n - 1;
    return true;
  };
  const takeNumber = (): number | undefined | "bad" => {
    if (format[i] === "*") {
      i++;
      const a = args[argNum++];
      return typeof a === "number" && Number.isInteger(a) ? a : "bad";
    }
    const m = /^\d+/.exec(format.slice(i));
    if (!m) return undefined;
    i += m[0].length;
    return Number(m[0]);
  };
  while (i < format.length) {
    const pct = format.indexOf("%", i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = { ...PLAIN };
    for (let f = format[i]; f !== undefined && "-+ 0#".includes(f); f = format[++i]) {
      if (f === "-") spec.minus = true;
      else if (f === "+") spec.plus = true;
      else if (f === " ") spec.space = true;
      else if (f === "0") spec.zero = true;
      else spec.sharp = true;
    }
    let goodIndex = takeIndex();
    const width = takeNumber();
    if (width === "bad") out += "%!(BADWIDTH)";
    else if (width !== undefined) {
      spec.width = Math.abs(width);
      if (width < 0) spec.minus = true;
    }
    if (format[i] === ".") {
      i++;
      goodIndex &&= takeIndex();
      const precision = takeNumber();
      if (precision === "bad") out += "%!(BADPREC)";
      else spec.precision = precision === undefined || precision < 0 ? 0 : precision;
    }
    goodIndex &&= takeIndex();
    const verb = String.fromCodePoint(format.codePointAt(i) ?? 0);
    if (i >= format.length) {
      out += "%!(NOVERB)";
      break;
    }
    i += verb.length;
    if (verb === "%") out += "%";
    else if (!goodIndex) out += `%!${verb}(BADINDEX)`;
    else if (argNum >= args.length) out += `%!${verb}(MISSING)`;
    else out += formatArg(args[argNum++], verb, spec);
  }
  if (!reordered && argNum < args.length) {
    const extra = args.slice(argNum).map((a) => (a == null ? "<nil>" : `${typeName(a)}=${formatValue(a)}`));
    out += `%!(EXTRA ${extra.join(", ")})`;
  }
  return out;
}

function formatArg(given: Value, verb: string, flags: Spec): string {
  const v = given === undefined ? zeroFor(verb) : given;
  // With %v, + asks for struct field names and # for Go syntax: neither changes how JSON values print.
  const spec = verb === "v" ? { ...flags, plus: false, sharp: false } : flags;
  if (verb === "T") return pad(typeName(v), spec);
  if (v === null) return verb === "v" ? pad("<nil>", spec) : `%!${verb}(<nil>)`;
  if (Array.isArray(v)) return `[${v.map((e) => formatArg(e, verb, spec)).join(" ")}]`;
  if (isMap(v)) {
    const entries = sortedKeys(v).map((k) => `${formatArg(k, verb, spec)}:${formatArg(v[k], verb, spec)}`);
    return `map[${entries.join(" ")}]`;
  }
  if (typeof v === "boolean") return verb === "v" || verb === "t" ? pad(String(v), spec) : bad(verb, v);
  if (typeof v === "string") return formatString(v, verb, spec);
  return formatNumber(v as number, verb, spec);
}

/** zeroFor is the zero value a verb expects, used for fields the JSON leaves out. */
function zeroFor(verb: string): Value {
  if (verb === "s" || verb === "q") return "";
  if (verb === "t") return false;
  if ("dboxXcUeEfFgG".includes(verb)) return 0;
  return null;
}

function bad(verb: string, v: Value): string {
  return `%!${verb}(${typeName(v)}=${formatValue(v)})`;
}

function formatString(s: string, verb: string, spec: Spec): string {
  const cut = spec.precision === undefined ? s : [...s].slice(0, spec.precision).join("");
  switch (verb) {
    case "v":
    case "s":
      return pad(cut, spec);
    case "q":
      return pad(spec.sharp && canBackquote(s) ? `\`${s}\`` : quote(cut, spec.plus), spec);
    case "x":
    case "X": {
      const hex = Buffer.from(cut, "utf8").toString("hex");
      return pad(verb === "X" ? hex.toUpperCase() : hex, spec);
    }
    default:
      return bad(verb, s);
  }
}

function formatNumber(n: number, verb: string, spec: Spec): string {
  const integer = Number.isInteger(n);
  switch (verb) {
    case "v":
      return integer ? formatInteger(n, 10, spec, "") : formatFloat(n, "g", spec);
    case "d":
    case "b":
    case "o":
    case "O":
    case "x":
    case "X": {
      if (!integer) return bad(verb, n);
      const base = verb === "d" ? 10 : verb === "b" ? 2 : verb === "o" || verb === "O" ? 8 : 16;
      let prefix = "";
      if (verb === "O" || (spec.sharp && verb === "o")) prefix = verb === "O" ? "0o" : "0";
      if (spec.sharp && (verb === "x" || verb === "X")) prefix = verb === "x" ? "0x" : "0X";
      if (spec.sharp && verb === "b") prefix = "0b";
      const text = formatInteger(n, base, spec, prefix);
      return verb === "X" ? text.toUpperCase() : text;
    }
    case "c":
      return integer ? pad(rune(n), spec) : bad(verb, n);
    case "q":
      return integer ? pad(quoteRune(n), spec) : bad(verb, n);
    case "U": {
      if (!integer) return bad(verb, n);
      const u = `U+${n.toString(16).toUpperCase().padStart(4, "0")}`;
      return pad(spec.sharp ? `${u} '${rune(n)}'` : u, spec);
    }
    case "e":
    case "E":
    case "f":
    case "F":
    case "g":
    case "G":
      return formatFloat(n, verb, spec);
    default:
      return bad(verb, n);
  }
}

function formatInteger(n: number, base: number, spec: Spec, prefix: string): string {
  let digits = BigInt(Math.abs(n)).toString(base);
  if (spec.precision !== undefined)
    digits = spec.precision === 0 && n === 0 ? "" : digits.padStart(spec.precision, "0");
  const sign = n < 0 ? "-" : spec.plus ? "+" : spec.space ? " " : "";
  return padNumber(sign, prefix + digits, spec, spec.precision === undefined);
}

function formatFloat(n: number, verb: string, spec: Spec): string {
  const sign = n < 0 || Object.is(n, -0) ? "-" : spec.plus ? "+" : spec.space ? " " : "";
  if (!Number.isFinite(n)) {
    const mark = spec.plus ? "+" : spec.space ? " " : "";
    const text = Number.isNaN(n) ? `${mark}NaN` : `${n < 0 ? "-" : mark || "+"}Inf`;
    return pad(text, { ...spec, zero: false });
  }
  const abs = Math.abs(n);
  let body: string;
  const lower = verb.toLowerCase();
  if (lower === "f") body = toFixedEven(abs, spec.precision ?? 6);
  else if (lower === "e") {
    const { digits, exp } = significant(abs, (spec.precision ?? 6) + 1);
    body = scientific(digits, exp);
  } else body = formatG(abs, spec.precision, spec.sharp);
  if (verb === "E" || verb === "G") body = body.toUpperCase();
  return padNumber(sign, body, spec, true);
}

/** formatG is Go's %g: shortest digits (or `precision` significant ones), exponent form for very large or small values. */
function formatG(abs: number, precision: number | undefined, keepZeros: boolean): string {
  let digits: string;
  let exp: number;
  if (precision === undefined) {
    const [mantissa, e] = abs.toExponential().split("e");
    digits = mantissa!.replace(".", "");
    exp = Number(e);
  } else ({ digits, exp } = significant(abs, Math.max(precision, 1)));
  if (!keepZeros) digits = digits.replace(/0+$/, "") || "0";
  let eprec = precision === undefined ? 6 : Math.max(precision, 1);
  if (precision !== undefined && eprec > digits.length && digits.length >= exp + 1) eprec = digits.length;
  if (exp < -4 || exp >= eprec) return scientific(digits, exp);
  const dp = exp + 1;
  if (dp <= 0) return `0.${"0".repeat(-dp)}${digits}`;
  if (dp >= digits.length) return digits + "0".repeat(dp - digits.length);
  return `${digits.slice(0, dp)}.${digits.slice(dp)}`;
}

/** scientific writes digits with a decimal exponent the Go way, with at least two exponent digits: 1.5e+06. */
function scientific(digits: string, exp: number): string {
  const frac = digits.slice(1);
  const e = String(Math.abs(exp)).padStart(2, "0");
  return `${digits[0]}${frac ? `.${frac}` : ""}e${exp < 0 ? "-" : "+"}${e}`;
}

function padNumber(sign: string, body: string, spec: Spec, zeroAllowed: boolean): string {
  const width = spec.width ?? 0;
  const length = sign.length + body.length;
  if (spec.zero && zeroAllowed && !spec.minus && length < width)
    return sign + "0".repeat(width - length) + body;
  return pad(sign + body, { ...spec, zero: false });
}

function pad(s: string, spec: Spec): string {
  const missing = (spec.width ?? 0) - [...s].length;
  if (missing <= 0) return s;
  if (spec.minus) return s + " ".repeat(missing);
  return (spec.zero ? "0" : " ").repeat(missing) + s;
}

function rune(n: number): string {
  return n >= 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : "\ufffd";
}

const NAMED_ESCAPES: Record<string, string> = {
  "\x07": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\v": "\\v",
};

/** quote is Go's strconv.Quote (QuoteToASCII with `ascii`): a double-quoted string with Go escapes. */
export function quote(s: string, ascii: boolean): string {
  return `"${[...s].map((c) => escapeRune(c, '"', ascii)).join("")}"`;
}

function quoteRune(n: number): string {
  return `'${escapeRune(rune(n), "'", false)}'`;
}

function escapeRune(c: string, quoteChar: string, ascii: boolean): string {
  if (c === quoteChar || c === "\\") return `\\${c}`;
  const cp = c.codePointAt(0)!;
  if (cp < 0x80 ? cp >= 0x20 && cp !== 0x7f : !ascii && /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(c)) return c;
  if (NAMED_ESCAPES[c]) return NAMED_ESCAPES[c];
  if (cp < 0x80) return `\\x${cp.toString(16).padStart(2, "0")}`;
  return cp < 0x10000 ? `\\u${cp.toString(16).padStart(4, "0")}` : `\\U${cp.toString(16).padStart(8, "0")}`;
}

function canBackquote(s: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what rules backquotes out
  return !/[`\x00-\x08\x0a-\x1f\x7f\ufeff]/.test(s);
}
