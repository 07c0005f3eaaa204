import fs from "node:fs";
import { readPrivateFile, writePrivateFile } from "./private-file.js";

/** Mirror is a parsed file kept as JSON next to the exact text it was parsed from. */
interface Mirror {
  text: string;
  value: unknown;
}

/**
 * readParsed returns `parse(text)` of the file's text, or undefined when the file does not exist. With
 * `mirrorFile`, the parsed value is kept there as JSON and reused while the file holds exactly the same
 * text, so the parser (YAML) is loaded only after the file changed.
 */
export function readParsed(
  file: string,
  parse: (text: string) => unknown,
  mirrorFile?: string,
): unknown | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  if (!mirrorFile) return parse(text);
  const mirror = readMirror(mirrorFile);
  if (mirror && mirror.text === text) return mirror.value;
  const value = parse(text);
  writeMirror(mirrorFile, text, value);
  return value;
}

/** writeMirror records what `text` parses to, e.g. right after writing it; errors are ignored. */
export function writeMirror(mirrorFile: string, text: string, value: unknown): void {
  writePrivateFile(mirrorFile, JSON.stringify({ text, value } satisfies Mirror));
}

function readMirror(mirrorFile: string): Mirror | undefined {
  const text = readPrivateFile(mirrorFile);
  if (text === undefined) return undefined;
  try {
    const m = JSON.parse(text) as Partial<Mirror>;
    return typeof m.text === "string" && "value" in m ? (m as Mirror) : undefined;
  } catch {
    return undefined;
  }
}
