import { type DescMessage, fromJson, type MessageShape } from "@bufbuild/protobuf";
import { at } from "../edit/update-request.js";
import { usageError } from "../errors.js";
import type { JsonValue } from "../output/printer.js";

type JsonObject = { [k: string]: JsonValue };

/**
 * CreateShape says how a resource's JSON (what `describe -o yaml` prints) maps to its create
 * request: the request message, the fields the command fills in (e.g. { project }), and where request
 * fields live in the resource when not under their own name (labels live in meta.labels).
 */
export interface CreateShape<D extends DescMessage> {
  request: D;
  /** Request fields (JSON names) the command sets, with their values, e.g. { project }. */
  identity: JsonObject;
  /** Request field → path in the resource, e.g. { name: "allocation.name", project: "allocation.project" }. */
  paths?: Record<string, string>;
}

function fieldPath<D extends DescMessage>(shape: CreateShape<D>, name: string): string {
  return shape.paths?.[name] ?? (name === "labels" ? "meta.labels" : name);
}

/** createPaths are the paths in the resource's JSON that a create request takes, e.g. ["network", "name"]. */
export function createPaths<D extends DescMessage>(shape: CreateShape<D>): string[] {
  return shape.request.fields
    .filter((f) => !(f.jsonName in shape.identity))
    .map((f) => fieldPath(shape, f.jsonName));
}

/**
 * checkIdentity refuses a document that names another value than the command for a field the
 * command fills in, e.g. a document of project p2 applied to project p1.
 */
export function checkIdentity<D extends DescMessage>(shape: CreateShape<D>, doc: JsonValue): void {
  for (const [name, value] of Object.entries(shape.identity)) {
    const path = fieldPath(shape, name);
    const given = at(doc, path);
    if (given !== undefined && given !== "" && given !== value) {
      throw usageError(
        `${path} is ${JSON.stringify(given)}, but this applies to ${name} ${JSON.stringify(value)}`,
        `select ${name} ${JSON.stringify(given)}, or leave ${path} out`,
      );
    }
  }
}

/**
 * createFromDocument builds the create request from a resource as `describe -o yaml` prints it:
 * every request field is taken from its path in the document (fields nested deeper than the request
 * knows, such as a machine network's IPs, are left out).
 */
export function createFromDocument<D extends DescMessage>(
  shape: CreateShape<D>,
  doc: JsonValue,
): MessageShape<D> {
  checkIdentity(shape, doc);
  const json: JsonObject = { ...shape.identity };
  for (const f of shape.request.fields) {
    if (f.jsonName in shape.identity) continue;
    const v = at(doc, fieldPath(shape, f.jsonName));
    if (v !== undefined) json[f.jsonName] = v;
  }
  try {
    return fromJson(shape.request, json, { ignoreUnknownFields: true });
  } catch (err) {
    throw usageError(`the document does not fit ${shape.request.typeName}: ${(err as Error).message}`);
  }
}
