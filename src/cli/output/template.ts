import { usageError } from "../errors.js";

/**
 * A small subset of Go's text/template over JSON values, as metal-stack users know it from
 * `-o template`: `{{ .field }}`, nested paths `{{ .meta.labels.env }}`, `{{ . }}`,
 * `{{ range .list }}…{{ else }}…{{ end }}`, `{{ if .x }}…{{ else }}…{{ end }}` and the trim
 * markers `{{-` / `-}}`.
 */

type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

type Node =
  | { kind: "text"; text: string }
  | { kind: "field"; path: string[] }
  | { kind: "range" | "if"; path: string[]; body: Node[]; otherwise: Node[] };

/** Template is a parsed template, ready to be executed against JSON values. */
export interface Template {
  execute(data: unknown): string;
}

/** parseTemplate parses a template once; syntax errors are usage errors naming the problem. */
export function parseTemplate(source: string): Template {
  const tokens = tokenize(source);
  let pos = 0;
  const parseList = (terminators: string[]): { nodes: Node[]; end: string } => {
    const nodes: Node[] = [];
    while (pos < tokens.length) {
      const tok = tokens[pos++]!;
      if (tok.kind === "text") {
        nodes.push({ kind: "text", text: tok.text });
        continue;
      }
      const words = tok.text.split(/\s+/).filter(Boolean);
      const [head, arg, ...rest] = words;
      if (head === undefined) throw templateError("empty action {{ }}");
      if (terminators.includes(head)) {
        if (arg !== undefined) throw templateError(`unexpected "${arg}" after {{ ${head} }}`);
        return { nodes, end: head };
      }
      if (head === "range" || head === "if") {
        if (arg === undefined || rest.length)
          throw templateError(`{{ ${head} }} needs exactly one field, e.g. {{ ${head} .items }}`);
        const path = parsePath(arg);
        const body = parseList(["else", "end"]);
        let otherwise: Node[] = [];
        if (body.end === "else") otherwise = parseList(["end"]).nodes;
        nodes.push({ kind: head, path, body: body.nodes, otherwise });
        continue;
      }
      if (arg !== undefined)
        throw templateError(`unsupported action {{ ${tok.text} }}; use fields like {{ .name }}`);
      nodes.push({ kind: "field", path: parsePath(head) });
    }
    if (terminators.length) throw templateError(`missing {{ end }}`);
    return { nodes, end: "" };
  };
  const { nodes } = parseList([]);
  return { execute: (data) => run(nodes, data as JsonValue) };
}

function tokenize(source: string): { kind: "text" | "action"; text: string }[] {
  const out: { kind: "text" | "action"; text: string }[] = [];
  let rest = source;
  while (rest.length) {
    const open = rest.indexOf("{{");
    if (open < 0) {
      out.push({ kind: "text", text: rest });
      break;
    }
    let text = rest.slice(0, open);
    const close = rest.indexOf("}}", open);
    if (close < 0) throw templateError("unclosed action: missing }}");
    let inner = rest.slice(open + 2, close);
    let after = rest.slice(close + 2);
    if (inner.startsWith("- ") || inner === "-") {
      text = text.trimEnd();
      inner = inner.slice(1);
    }
    if (inner.endsWith(" -")) {
      inner = inner.slice(0, -1);
      after = after.trimStart();
    }
    if (text) out.push({ kind: "text", text });
    out.push({ kind: "action", text: inner.trim() });
    rest = after;
  }
  return out;
}

function parsePath(word: string): string[] {
  if (word === ".") return [];
  if (!/^(\.[A-Za-z_][A-Za-z0-9_-]*)+$/.test(word)) {
    throw templateError(`"${word}" is not a field; write fields as .name or .meta.createdAt`);
  }
  return word.slice(1).split(".");
}

function lookup(data: JsonValue, path: string[]): JsonValue | undefined {
  let cur: JsonValue | undefined = data;
  for (const key of path) {
    if (cur === null || typeof cur !== "object" || Array.isArray(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

function truthy(v: JsonValue | undefined): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v).length > 0;
  return true;
}

function show(v: JsonValue | undefined): string {
  if (v === undefined || v === null) return "<no value>";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function run(nodes: Node[], dot: JsonValue): string {
  let out = "";
  for (const n of nodes) {
    if (n.kind === "text") out += n.text;
    else if (n.kind === "field") out += show(lookup(dot, n.path));
    else if (n.kind === "if") out += run(truthy(lookup(dot, n.path)) ? n.body : n.otherwise, dot);
    else {
      const v = lookup(dot, n.path);
      const items: JsonValue[] = Array.isArray(v)
        ? v
        : v !== null && typeof v === "object"
          ? Object.keys(v)
              .sort()
              .map((k) => v[k]!)
          : [];
      if (items.length === 0) out += run(n.otherwise, dot);
      for (const item of items) out += run(n.body, item);
    }
  }
  return out;
}

function templateError(msg: string) {
  return usageError(`template: ${msg}`, "see `metalctl --help` for the supported template syntax");
}
