import { usageError } from "../errors.js";
import type { JsonValue } from "./printer.js";

type JsonObject = { [k: string]: JsonValue };

const isObject = (v: JsonValue | undefined): v is JsonObject =>
  v !== null && v !== undefined && typeof v === "object" && !Array.isArray(v);

/**
 * parseJsonFields reads `--json a,b.c`: comma-separated fields, a dotted path picking a nested one.
 * Without fields, or with a field the resource does not have, it is a usage error that lists them.
 */
export function parseJsonFields(spec: string, available: readonly string[]): string[] {
  const fields = [
    ...new Set(
      spec
        .split(",")
        .map((f) => f.trim())
        .filter(Boolean),
    ),
  ];
  const list = `available fields: ${[...available].sort().join(", ")}`;
  if (fields.length === 0) throw usageError("--json needs the fields to print, e.g. --json id,name", list);
  const unknown = fields.filter((f) => !available.includes(f.split(".")[0]!));
  if (unknown.length)
    throw usageError(`--json: unknown field ${unknown.map((f) => `"${f}"`).join(", ")}`, list);
  return fields;
}

/**
 * selectFields keeps the given fields of an object (of each object in a list), nesting dotted paths
 * as they were; a field the item does not hold is null, as in gh.
 */
export function selectFields(value: JsonValue, fields: readonly string[]): JsonValue {
  if (Array.isArray(value)) return value.map((v) => selectFields(v, fields));
  const out: JsonObject = {};
  for (const field of fields) {
    const path = field.split(".");
    let src: JsonValue | undefined = value;
    let dst = out;
    path.forEach((key, i) => {
      src = isObject(src) ? src[key] : undefined;
      if (i === path.length - 1) dst[key] = src ?? null;
      else {
        if (!isObject(dst[key])) dst[key] = {};
        dst = dst[key] as JsonObject;
      }
    });
  }
  return out;
}

/** fieldsOf lists the top-level keys the given JSON objects hold (the fields when a view declares none). */
export function fieldsOf(items: readonly JsonValue[]): string[] {
  return [...new Set(items.flatMap((i) => (isObject(i) ? Object.keys(i) : [])))];
}
