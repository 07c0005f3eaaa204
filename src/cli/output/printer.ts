import type { JsonValue } from "@bufbuild/protobuf";
import { usageError } from "../errors.js";
import { yaml } from "../yaml.js";
import { BIDI, escapeControls, escapeControlsKeepLines, escapeEncodedControls } from "./escape.js";
import type { JqRunner } from "./jq.js";
import { fieldsOf, parseJsonFields, selectFields } from "./json-fields.js";
import { renderMarkdown, renderTable } from "./table.js";
import type { Template } from "./template.js";

/** OutputFormat is a value of `-o/--output`. */
export type OutputFormat = "table" | "wide" | "json" | "yaml" | "markdown" | "template";

/** outputFormats lists the accepted `-o` values. */
export const outputFormats: readonly OutputFormat[] = [
  "table",
  "wide",
  "json",
  "yaml",
  "markdown",
  "template",
];

/** JsonValue is a JSON-serialisable value: protobuf-es's own type, what its `toJson` returns. */
export type { JsonValue };

/** Column is one table column of a resource; `wide` columns show only with `-o wide`. */
export interface Column<T> {
  header: string;
  value(item: T, now: Date): string;
  wide?: boolean;
  /** Sort key when it differs from the shown value (e.g. a timestamp behind a relative age). */
  sortKey?(item: T): string | number;
  /** Colour of the cell in table formats on a terminal (e.g. red for a dead machine). */
  tone?(item: T): Tone | undefined;
  /**
   * The completion source (resource module and scope) of the items whose IDs the column shows, e.g.
   * a project's: `describe` puts their names next to the IDs.
   */
  names?: { kind: string; scope: "project" | "server" };
}

/** Tone is a cell colour; it is applied only when colour is allowed and never in markdown. */
export type Tone = "red" | "green";

const SGR: Record<Tone, string> = { red: "\x1b[31m", green: "\x1b[32m" };

/** View tells the printers how to show one kind of item: table columns and its JSON form. */
export interface View<T> {
  columns: Column<T>[];
  /** The item in the proto JSON mapping (or a plain object for CLI-local data). */
  toJson(item: T): JsonValue;
  /** The top-level JSON fields `--json` offers; without it, the fields the printed items hold. */
  fields?: readonly string[];
}

/** Printable pairs data with its view; lists print one row (or template run) per item. */
export type Printable<T = unknown> = { view: View<T>; items: T[]; list: boolean } | Detail;

/** Detail is one record shown as free text in table formats and as JSON otherwise (e.g. whoami). */
export interface Detail {
  json: JsonValue;
  text(now: Date): string;
}

/** PrintOptions are the output flags plus terminal facts. */
export interface PrintOptions {
  format: OutputFormat;
  /** `--template`, parsed (see parseTemplate); the template engine loads only for `-o template`. */
  template?: Template;
  noHeaders?: boolean;
  sortBy?: string;
  color?: boolean;
  now: Date;
  /** `--json`: the fields to keep ("" asks for the list of fields); JSON output either way. */
  jsonFields?: string;
  /** `--jq`: the program, with jq loaded (see loadJq). */
  jq?: { program: string; run: JqRunner };
}

/**
 * render turns a Printable into the text for stdout in the chosen format. Control characters in the
 * data never reach the terminal raw: tables show them as escapes, JSON and YAML in their own escape
 * syntax, templates and free text keep only line feeds and tabs.
 */
export function render<T>(p: Printable<T>, opts: PrintOptions): string {
  if ("json" in p) {
    return exporting(opts) ? renderExport(p.json, fieldsOf([p.json]), opts) : renderDetail(p, opts);
  }
  const items = opts.sortBy ? sortItems(p.view, p.items, opts.sortBy) : p.items;
  if (exporting(opts)) {
    const json = items.map((i) => p.view.toJson(i));
    return renderExport(p.list ? json : json[0]!, p.view.fields ?? fieldsOf(json), opts);
  }
  switch (opts.format) {
    case "json":
      return renderJson(p.list ? items.map((i) => p.view.toJson(i)) : p.view.toJson(items[0]!));
    case "yaml":
      return renderYaml(p.list ? items.map((i) => p.view.toJson(i)) : p.view.toJson(items[0]!));
    case "template": {
      if (!opts.template) throw usageError("-o template needs --template, e.g. --template '{{ .id }}'");
      const tpl = opts.template;
      return items
        .map(
          (i) => `${escapeControlsKeepLines(tpl.execute(p.view.toJson(i), opts.now))}
`,
        )
        .join("");
    }
    default: {
      const cols = p.view.columns.filter((c) => opts.format === "wide" || !c.wide);
      const headers = cols.map((c) => c.header);
      const tableOpts = { noHeaders: opts.noHeaders, color: opts.color };
      if (opts.format === "markdown") {
        return renderMarkdown(headers, rows(items, cols, opts.now, false), tableOpts);
      }
      return renderTable(headers, rows(items, cols, opts.now, opts.color === true), tableOpts);
    }
  }
}

function rows<T>(items: T[], cols: Column<T>[], now: Date, color: boolean): string[][] {
  return items.map((i) =>
    cols.map((c) => {
      const text = escapeControls(c.value(i, now));
      const tone = color && text ? c.tone?.(i) : undefined;
      return tone ? `${SGR[tone]}${text}\x1b[0m` : text;
    }),
  );
}

function renderDetail(d: Detail, opts: PrintOptions): string {
  switch (opts.format) {
    case "json":
      return renderJson(d.json);
    case "yaml":
      return renderYaml(d.json);
    case "template":
      if (!opts.template) throw usageError("-o template needs --template, e.g. --template '{{ .id }}'");
      return `${escapeControlsKeepLines(opts.template.execute(d.json, opts.now))}
`;
    default:
      return escapeControlsKeepLines(d.text(opts.now));
  }
}

function exporting(opts: PrintOptions): boolean {
  return opts.jsonFields !== undefined || opts.jq !== undefined;
}

/** renderExport is `--json fields` and `--jq`: selected fields as JSON, then filtered through jq. */
function renderExport(value: JsonValue, available: readonly string[], opts: PrintOptions): string {
  const selected =
    opts.jsonFields === undefined ? value : selectFields(value, parseJsonFields(opts.jsonFields, available));
  if (!opts.jq) return renderJson(selected);
  return escapeControlsKeepLines(opts.jq.run(selected, opts.jq.program));
}

function renderJson(value: JsonValue): string {
  return `${escapeEncodedControls(JSON.stringify(value, null, 2), "json")}\n`;
}

function renderYaml(value: JsonValue): string {
  const { Document, visit } = yaml();
  const doc = new Document(value, { aliasDuplicateObjects: false });
  // The printer leaves a bidi character in a plain scalar, where its escape would not read back.
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === "string" && BIDI.test(node.value)) node.type = "QUOTE_DOUBLE";
    },
  });
  return escapeEncodedControls(doc.toString(), "yaml");
}

/** columnKey is the `--sort-by` name of a column: its header in lower kebab case. */
export function columnKey(header: string): string {
  return header.toLowerCase().replace(/\s+/g, "-");
}

/** sortItems orders items by `--sort-by key[:asc|desc],…`: later keys break ties of earlier ones. */
function sortItems<T>(view: View<T>, items: T[], sortBy: string): T[] {
  const allowed = () => view.columns.map((c) => columnKey(c.header)).join(", ");
  const keys = sortBy.split(",").map((spec) => {
    const [name = "", direction = "asc", ...rest] = spec.trim().toLowerCase().split(":");
    const col = view.columns.find((c) => columnKey(c.header) === name);
    if (!col) throw usageError(`--sort-by "${name}" is not a column`, `use one of: ${allowed()}`);
    if ((direction !== "asc" && direction !== "desc") || rest.length) {
      throw usageError(
        `--sort-by "${spec.trim()}": the direction must be asc or desc`,
        "e.g. --sort-by partition,size:desc",
      );
    }
    return { col, sign: direction === "desc" ? -1 : 1 };
  });
  const epoch = new Date(0);
  const key = (c: Column<T>, i: T) => (c.sortKey ? c.sortKey(i) : c.value(i, epoch));
  return [...items].sort((a, b) => {
    for (const { col, sign } of keys) {
      const ka = key(col, a);
      const kb = key(col, b);
      const cmp =
        typeof ka === "number" && typeof kb === "number"
          ? ka - kb
          : String(ka).localeCompare(String(kb), "en", { numeric: true });
      if (cmp !== 0) return sign * cmp;
    }
    return 0;
  });
}
