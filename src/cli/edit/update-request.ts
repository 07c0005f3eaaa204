import {
  type DescField,
  type DescMessage,
  fromJson,
  type MessageShape,
  ScalarType,
} from "@bufbuild/protobuf";
import { usageError } from "../errors.js";
import type { JsonValue } from "../output/printer.js";

type JsonObject = { [k: string]: JsonValue };

/**
 * UpdateShape says how a resource's JSON (what `describe -o yaml` prints) maps to its update request:
 * the request message, the fields that name the item, and where request fields live in the resource
 * when not under their own name (labels live in meta.labels unless said otherwise).
 */
export interface UpdateShape<D extends DescMessage> {
  request: D;
  /** Request fields (JSON names) that name the item, with their values, e.g. { project, id }. */
  identity: JsonObject;
  /** Request field → path in the resource, e.g. { name: "allocation.name" }. */
  paths?: Record<string, string>;
  /** Request fields that wrap a list in a message: field → the message's list field, e.g. { sshPublicKeys: "keys" }. */
  wrapped?: Record<string, string>;
  /** Path of the generation the update names (default meta.generation). */
  generation?: string;
}

/** UpdateFromEdit is the update request for what changed, or nothing when nothing did. */
export type UpdateFromEdit<D extends DescMessage> =
  | { changed: false }
  | { changed: true; request: MessageShape<D>; fields: string[] };

/** READ_ONLY are paths the server keeps; changing them in an edited document is ignored, not an error. */
const READ_ONLY = ["meta.generation", "meta.createdAt", "meta.updatedAt"];

/** isObject tells a JSON object (a message or map) from lists, scalars and null. */
export const isObject = (v: JsonValue | undefined): v is JsonObject =>
  v !== null && v !== undefined && typeof v === "object" && !Array.isArray(v);

/** at reads the value at a dotted path ("allocation.name"), undefined where the path ends. */
export function at(value: JsonValue | undefined, path: string): JsonValue | undefined {
  return path.split(".").reduce<JsonValue | undefined>((v, k) => (isObject(v) ? v[k] : undefined), value);
}

function same(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** canonical sorts object keys and treats empty strings, lists and maps as absent, as the proto JSON mapping does. */
function canonical(v: JsonValue | undefined): JsonValue | undefined {
  if (Array.isArray(v)) return v.length ? v.map((e) => canonical(e) ?? null) : undefined;
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const k of Object.keys(v).sort()) {
      const x = canonical(v[k]);
      if (x !== undefined) out[k] = x;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v === "" || v === false || v === 0 || v === "0" || v === null ? undefined : v;
}

/** changedPaths lists the dotted paths whose values differ (objects are compared key by key, lists whole). */
function changedPaths(a: JsonValue | undefined, b: JsonValue | undefined, prefix = ""): string[] {
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => changedPaths(a[k], b[k], prefix ? `${prefix}.${k}` : k));
  }
  return same(a, b) ? [] : [prefix];
}

function labelUpdate(before: JsonValue | undefined, after: JsonValue | undefined): JsonObject {
  const was = isObject(before) ? before : {};
  const now = isObject(after) ? after : {};
  const update = Object.fromEntries(Object.entries(now).filter(([k, v]) => was[k] !== v));
  const remove = Object.keys(was).filter((k) => !(k in now));
  return { update, remove };
}

/**
 * removed is what a field the user deleted from the document means: its zero value (false, 0, "",
 * an empty list), sent explicitly so an optional field changes too. A message field has no zero the
 * update could tell from "unchanged", so deleting it is refused, naming it.
 */
function removed(f: DescField, path: string): JsonValue {
  switch (f.fieldKind) {
    case "list":
      return [];
    case "map":
      return {};
    case "enum":
      return 0;
    case "scalar":
      return scalarZero(f.scalar);
    default:
      throw usageError(
        `${path} cannot be removed: the update keeps what it is not sent`,
        `put ${path} back and change its value instead`,
      );
  }
}

/** scalarZero is a scalar type's zero value in the proto JSON mapping (64-bit integers are strings). */
function scalarZero(t: ScalarType): JsonValue {
  switch (t) {
    case ScalarType.BOOL:
      return false;
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return "";
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return "0";
    default:
      return 0;
  }
}

/** editableFields are the request fields an edit may set: all but those naming the item and the generation. */
function editableFields<D extends DescMessage>(shape: UpdateShape<D>) {
  return shape.request.fields.filter((f) => !(f.jsonName in shape.identity) && f.jsonName !== "updateMeta");
}

/** fieldPath is where a request field lives in the resource's JSON. */
function fieldPath<D extends DescMessage>(shape: UpdateShape<D>, name: string): string {
  return shape.paths?.[name] ?? (name === "labels" ? "meta.labels" : name);
}

/** editablePaths are the paths in the resource's JSON that the update can change, e.g. ["name", "meta.labels"]. */
export function editablePaths<D extends DescMessage>(shape: UpdateShape<D>): string[] {
  return editableFields(shape).map((f) => fieldPath(shape, f.jsonName));
}

/**
 * updateFromEdit compares a resource before and after an edit and builds the update request that
 * changes exactly what changed, with the generation read before (optimistic locking). A change to a
 * field the update cannot make is a usage error that names it and the fields that can be edited.
 */
export function updateFromEdit<D extends DescMessage>(
  shape: UpdateShape<D>,
  before: JsonValue,
  after: JsonValue,
): UpdateFromEdit<D> {
  if (!isObject(after))
    throw usageError("the edited document must be one YAML object, as describe prints it");
  const editable = editableFields(shape);
  const pathOf = (name: string) => fieldPath(shape, name);
  const generation = shape.generation ?? "meta.generation";
  const json: JsonObject = { ...shape.identity };
  const fields: string[] = [];
  for (const f of editable) {
    const path = pathOf(f.jsonName);
    const was = at(before, path);
    const now = at(after, path);
    if (same(was, now)) continue;
    fields.push(path);
    const wrap = shape.wrapped?.[f.jsonName];
    if (f.jsonName === "labels") json.labels = labelUpdate(was, now);
    else if (wrap) json[f.jsonName] = { [wrap]: now ?? [] };
    else json[f.jsonName] = now ?? removed(f, path);
  }
  const paths = editablePaths(shape);
  const covered = (p: string) =>
    [...paths, ...READ_ONLY, generation].some(
      (e) => p === e || p.startsWith(`${e}.`) || e.startsWith(`${p}.`),
    );
  const refused = changedPaths(before, after).filter((p) => !covered(p));
  if (refused.length) {
    throw usageError(`${refused.join(", ")} cannot be changed here`, `edit only ${paths.join(", ")}`);
  }
  if (fields.length === 0) return { changed: false };
  json.updateMeta = { generation: String(at(before, generation) ?? "0") };
  try {
    return { changed: true, request: fromJson(shape.request, json), fields };
  } catch (err) {
    throw usageError(`the edited document does not fit: ${(err as Error).message}`);
  }
}
