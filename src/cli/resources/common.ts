import fs from "node:fs";
import type { DescEnum, DescEnumValue, DescMessage, MessageShape } from "@bufbuild/protobuf";
import { fromJson, toJson } from "@bufbuild/protobuf";
import { type Timestamp, timestampDate } from "@bufbuild/protobuf/wkt";
import type { Deps } from "../deps.js";
import { CliError, ExitCode, usageError } from "../errors.js";
import type { Column, JsonValue, View } from "../output/printer.js";
import { asked } from "../prompter.js";
import { yaml } from "../yaml.js";

/** protoView builds a View whose JSON/YAML form is the proto JSON mapping of the message (its fields for --json). */
export function protoView<D extends DescMessage>(
  schema: D,
  columns: Column<MessageShape<D>>[],
): View<MessageShape<D>> {
  return {
    columns,
    toJson: (item) => toJson(schema, item) as JsonValue,
    fields: schema.fields.map((f) => f.jsonName),
  };
}

/** ACRONYMS stay upper-case in labels ("PXE Booting", not "Pxe Booting"). */
const ACRONYMS = new Set([
  "PXE",
  "BIOS",
  "BMC",
  "IP",
  "IPV4",
  "IPV6",
  "LED",
  "TCP",
  "UDP",
  "DNS",
  "OIDC",
  "LDAP",
]);

/** enumLabel shows an enum value as title-case words without the prefix (MACHINE_STATE_AVAILABLE → Available). */
export function enumLabel(desc: DescEnum, value: number): string {
  const v = desc.values.find((e) => e.number === value);
  if (!v || value === 0) return "";
  return shortName(desc, v)
    .split("_")
    .map((w) => (ACRONYMS.has(w) ? w : w.charAt(0) + w.slice(1).toLowerCase()))
    .join(" ");
}

/** enumKey shows an enum value as a lower-case flag value (MACHINE_STATE_AVAILABLE → available). */
export function enumKey(desc: DescEnum, value: number): string {
  const v = desc.values.find((e) => e.number === value);
  return v ? shortName(desc, v).toLowerCase() : "";
}

/** setEnumKey is enumKey for a value that was set: "" for the zero (unspecified) value. */
export function setEnumKey(desc: DescEnum, value: number): string {
  return value === 0 ? "" : enumKey(desc, value);
}

/** enumKeys lists the flag values of an enum, without the unspecified zero value. */
export function enumKeys(desc: DescEnum): string[] {
  return desc.values.filter((v) => v.number !== 0).map((v) => shortName(desc, v).toLowerCase());
}

/** parseEnum maps a flag value (case-insensitive, with or without prefix) to the enum number. */
export function parseEnum(desc: DescEnum, text: string, flag: string): number {
  const t = text.trim().toUpperCase().replaceAll("-", "_");
  const v = desc.values.find((e) => e.number !== 0 && (shortName(desc, e) === t || e.name === t));
  if (!v) throw usageError(`${flag}: "${text}" is not valid`, `use one of: ${enumKeys(desc).join(", ")}`);
  return v.number;
}

/**
 * shortName is an enum value's name without the enum's prefix, taken from its zero value
 * (IP_TYPE_UNSPECIFIED → IP_TYPE_), because protobuf-es keeps the prefix when it cannot derive it.
 */
function shortName(desc: DescEnum, v: DescEnumValue): string {
  const zero = desc.values.find((e) => e.number === 0)?.name ?? "";
  const prefix = zero.endsWith("UNSPECIFIED") ? zero.slice(0, -"UNSPECIFIED".length) : "";
  return prefix && v.name.startsWith(prefix) ? v.name.slice(prefix.length) : v.localName;
}

/** date turns an optional protobuf timestamp into a Date. */
export function date(ts: Timestamp | undefined): Date | undefined {
  return ts ? timestampDate(ts) : undefined;
}

/** parseLabels turns `key=value` items (each may hold several, comma separated) into a map. */
export function parseLabels(items: readonly string[] | undefined, flag = "--labels"): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items ?? []) {
    for (const pair of item.split(",")) {
      if (!pair.trim()) continue;
      const eq = pair.indexOf("=");
      const key = (eq < 0 ? pair : pair.slice(0, eq)).trim();
      if (!key || eq < 0) throw usageError(`${flag}: "${pair}" is not key=value`, `e.g. ${flag} env=prod`);
      out[key] = pair.slice(eq + 1).trim();
    }
  }
  return out;
}

/** splitList flattens repeated, comma-separated flag values and drops empty items. */
export function splitList(items: readonly string[] | undefined): string[] {
  return (items ?? [])
    .flatMap((i) => i.split(","))
    .map((s) => s.trim())
    .filter(Boolean);
}

/** showLabels formats labels as sorted `k=v` pairs. */
export function showLabels(labels: Record<string, string> | undefined): string {
  return Object.keys(labels ?? {})
    .sort()
    .map((k) => `${k}=${labels![k]}`)
    .join(",");
}

/** readValue reads a flag value that may name a file with `@path` (`@-` reads stdin). */
export function readValue(value: string, flag: string): string {
  if (!value.startsWith("@")) return value;
  const file = value.slice(1);
  try {
    return fs.readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (err) {
    throw usageError(`${flag}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
}

/** readDocument parses a YAML or JSON document from a file (`-` for stdin) into plain JSON values. */
export function readDocument(file: string): JsonValue {
  let text: string;
  try {
    text = fs.readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (err) {
    throw usageError(`--file: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
  try {
    const doc = yaml().parse(text) as JsonValue;
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
      throw new Error("expected one object");
    }
    return doc;
  } catch (err) {
    throw usageError(`--file: ${file} is not a YAML/JSON object: ${(err as Error).message.split("\n")[0]}`);
  }
}

/**
 * confirmDestructive asks before a destructive action on a terminal; without one it refuses unless
 * `--yes` was given, so scripts never delete by accident.
 */
export async function confirmDestructive(
  deps: Deps,
  question: string,
  yes: boolean | undefined,
): Promise<void> {
  if (yes) return;
  if (!deps.io.canPrompt) {
    throw usageError(`refusing to ${question} without confirmation`, "pass --yes to confirm");
  }
  if (!(await deps.prompter.confirm(`${question.charAt(0).toUpperCase()}${question.slice(1)}?`, false))) {
    throw new CliError("aborted", ExitCode.error);
  }
}

/**
 * requireFlags fails with a usage error naming every missing flag; `askable` commands ask for them on
 * a terminal, so only their hint mentions one.
 */
export function requireFlags(missing: string[], what: string, askable = false): void {
  if (missing.length === 0) return;
  throw usageError(
    `${what}: missing ${missing.map((f) => `--${f}`).join(", ")}`,
    askable ? "pass the flags, or run in a terminal to be asked" : "pass the flags",
  );
}

/**
 * readSecret reads a secret (password, invitation) without it ever being a flag: from stdin when
 * asked or when stdin is not a terminal, else with a hidden prompt.
 */
export async function readSecret(
  deps: Deps,
  label: string,
  fromStdin: boolean,
  confirm = false,
): Promise<string> {
  if (fromStdin || !deps.io.canPrompt) {
    const chunks: Buffer[] = [];
    for await (const c of deps.io.stdin) chunks.push(Buffer.from(c as Buffer));
    const text = Buffer.concat(chunks)
      .toString("utf8")
      .replace(/\r?\n$/, "");
    if (!text) throw usageError(`no ${label} on stdin`, `pipe it in, e.g. printf %s "$VALUE" | metalctl …`);
    return text;
  }
  const { password } = await import("@inquirer/prompts");
  const value = await asked(password({ message: label.charAt(0).toUpperCase() + label.slice(1), mask: "*" }));
  if (confirm && (await asked(password({ message: "Repeat it", mask: "*" }))) !== value) {
    throw usageError(`the two ${label}s differ`);
  }
  if (!value) throw usageError(`empty ${label}`);
  return value;
}

/**
 * requestFromFile reads a YAML/JSON file into a request message (proto JSON mapping); a document
 * that does not fit the message is a usage error naming the message and the offending field.
 */
export function requestFromFile<D extends DescMessage>(schema: D, file: string): MessageShape<D> {
  const doc = readDocument(file);
  try {
    return fromJson(schema, doc, { ignoreUnknownFields: true });
  } catch (err) {
    throw usageError(`--file does not fit ${schema.typeName}: ${(err as Error).message}`);
  }
}
