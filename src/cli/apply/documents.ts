import type { YAMLError } from "yaml";
import { usageError } from "../errors.js";
import type { JsonValue } from "../output/printer.js";
import { yaml } from "../yaml.js";

/** ApplyDocument is one YAML document of an apply file: its kind, the rest of it, and where it starts. */
export interface ApplyDocument {
  /** 1-based position among the file's documents. */
  index: number;
  /** 1-based line where the document's content starts. */
  line: number;
  kind: string;
  body: { [k: string]: JsonValue };
}

/** syntaxError names where YAML is broken as FILE:LINE:COLUMN with the parser's one-line reason. */
function syntaxError(source: string, err: YAMLError) {
  const pos = err.linePos?.[0];
  const reason = err.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
  return usageError(`${source}:${pos ? `${pos.line}:${pos.col}` : "?"}: ${reason}`, "fix the YAML there");
}

/**
 * readDocuments splits an apply file into its YAML documents (separated by ---), each an object
 * with a `kind` from `kinds` plus the resource as `describe -o yaml` prints it. Empty documents are
 * skipped; broken YAML is a usage error at FILE:LINE:COLUMN, anything else wrong one naming the
 * document and its line. The whole file is checked before anything is applied.
 */
export function readDocuments(text: string, source: string, kinds: readonly string[]): ApplyDocument[] {
  const out: ApplyDocument[] = [];
  yaml()
    .parseAllDocuments(text)
    .forEach((doc, i) => {
      if (doc.errors.length) throw syntaxError(source, doc.errors[0]!);
      const start = (doc.contents as { range?: [number] } | null)?.range?.[0] ?? doc.range[0];
      const line = text.slice(0, start).split("\n").length;
      const where = `${source}: document ${i + 1} (line ${line})`;
      const value = doc.toJS() as JsonValue;
      if (value === null || value === undefined) return;
      if (typeof value !== "object" || Array.isArray(value))
        throw usageError(`${where}: expected an object with a kind`);
      const { kind, ...body } = value;
      const known = kinds.find(
        (k) => typeof kind === "string" && k.toLowerCase() === kind.trim().toLowerCase(),
      );
      if (!known) {
        const what =
          kind === undefined ? "has no kind" : `has kind ${JSON.stringify(kind)}, which apply does not know`;
        throw usageError(`${where} ${what}`, `use one of: ${kinds.join(", ")}`);
      }
      out.push({ index: i + 1, line, kind: known, body });
    });
  if (out.length === 0) throw usageError(`${source} holds no documents`, "separate documents with ---");
  return out;
}
