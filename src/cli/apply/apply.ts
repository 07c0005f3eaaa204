import { type DescMessage, fromJson, toJson } from "@bufbuild/protobuf";
import type { Deps } from "../deps.js";
import { at, editablePaths, isObject, updateFromEdit } from "../edit/update-request.js";
import { ExitCode, toCliError, usageError } from "../errors.js";
import type { JsonValue } from "../output/printer.js";
import type { Applies } from "../resources/resource.js";
import { checkIdentity, createFromDocument, createPaths } from "./create-request.js";
import type { ApplyDocument } from "./documents.js";

type JsonObject = { [k: string]: JsonValue };

/** ApplyOutcome is what applying one document did (or, with --dry-run, would do). */
export type ApplyOutcome = "created" | "updated" | "unchanged" | "failed";

/** ApplyResult is the result line of one document. */
export interface ApplyResult {
  document: number;
  line: number;
  kind: string;
  id: string;
  name: string;
  result: ApplyOutcome;
  /** The paths an update changed. */
  fields: string[];
  dryRun: boolean;
  error?: string;
}

/** Applier applies the documents of one kind. */
export interface Applier {
  kind: string;
  apply(deps: Deps, project: string, doc: ApplyDocument, dryRun: boolean): Promise<ApplyResult>;
}

const text = (v: JsonValue | undefined) => (typeof v === "string" ? v : "");

/**
 * merge lays what a document says over the item as it is: objects key by key and lists of the same
 * length element by element, so a document need not repeat what the server adds (a machine
 * network's IPs); label maps (meta.labels) are taken whole, so a label left out is removed.
 */
function merge(was: JsonValue | undefined, now: JsonValue, path: string): JsonValue {
  if (path.endsWith("meta.labels")) return now;
  if (isObject(was) && isObject(now)) {
    const out: JsonObject = { ...was };
    for (const [k, v] of Object.entries(now)) out[k] = merge(was[k], v, `${path}.${k}`);
    return out;
  }
  if (Array.isArray(was) && Array.isArray(now) && was.length === now.length) {
    return now.map((v, i) => merge(was[i], v, path));
  }
  return now;
}

/** overlay sets each of `paths` the document holds onto a copy of the item; the rest stays as it is. */
function overlay(item: JsonValue, doc: JsonValue, paths: string[]): JsonValue {
  const out = structuredClone(item) as JsonObject;
  for (const path of paths) {
    const now = at(doc, path);
    if (now === undefined) continue;
    const keys = path.split(".");
    let parent = out;
    for (const k of keys.slice(0, -1)) {
      if (!isObject(parent[k])) parent[k] = {};
      parent = parent[k] as JsonObject;
    }
    const last = keys[keys.length - 1]!;
    parent[last] = merge(parent[last], now, path);
  }
  return out;
}

/**
 * applier makes the Applier of a resource: a document names its item by ID, or — for kinds whose
 * IDs the server chooses — by a name unique in the project. What does not exist is created from
 * the document; what exists gets an update of only the fields the document changes, with the
 * generation read just before (optimistic locking). Fields the server keeps (status, hardware,
 * timestamps) are ignored; a changed field the update cannot change is refused.
 */
export function applier<T, D extends DescMessage, C extends DescMessage>(
  resource: Applies<T, D, C>,
): Applier {
  const spec = resource.apply;
  const idOf = (json: JsonValue) => text(at(json, spec.idPath));
  const nameOf = (json: JsonValue) => (spec.namePath ? text(at(json, spec.namePath)) : "");
  return {
    kind: spec.kind,
    async apply(deps, project, doc, dryRun) {
      let body: JsonValue;
      try {
        body = toJson(spec.schema, fromJson(spec.schema, doc.body)) as JsonValue;
      } catch (err) {
        throw usageError(
          `not a ${spec.kind}: ${(err as Error).message}`,
          `write the ${spec.kind} as describe -o yaml prints it`,
        );
      }
      const createShape = spec.createShape(project);
      checkIdentity(createShape, body);
      let id = idOf(body);
      const name = nameOf(body);
      const done = (result: ApplyOutcome, item: JsonValue, fields: string[] = []): ApplyResult => ({
        document: doc.index,
        line: doc.line,
        kind: spec.kind,
        id: idOf(item) || id,
        name: nameOf(item) || name,
        result,
        fields,
        dryRun,
      });
      if (!id && spec.named) {
        if (!name) {
          throw usageError(
            `names neither ${spec.idPath} nor ${spec.namePath}`,
            `give the ${resource.noun} a ${spec.namePath}`,
          );
        }
        const found = (await spec.named(deps, project, name)).filter(
          (i) => nameOf(resource.view.toJson(i)) === name,
        );
        if (found.length > 1) {
          throw usageError(
            `${found.length} ${resource.noun}s are named ${JSON.stringify(name)}`,
            `add the ${spec.idPath} of the one to apply`,
          );
        }
        if (found[0]) id = idOf(resource.view.toJson(found[0]));
      } else if (!id) {
        throw usageError(`names no ${spec.idPath}`, `give the ${resource.noun} its ${spec.idPath}`);
      }
      let current: T | undefined;
      if (id) {
        try {
          current = await resource.get(deps, project, id);
        } catch (err) {
          const e = toCliError(err);
          if (e.exitCode !== ExitCode.notFound) throw e;
          if (spec.named) {
            e.hint = `the server chooses ${resource.noun} IDs: leave ${spec.idPath} out to create a new one`;
            throw e;
          }
        }
      }
      if (!current) {
        const request = createFromDocument(createShape, body);
        if (dryRun) return done("created", body);
        return done("created", resource.view.toJson(await resource.create(deps, request)));
      }
      const before = resource.view.toJson(current);
      const editShape = resource.editShape(project, id);
      const paths = [...new Set([...editablePaths(editShape), ...createPaths(createShape)])];
      const change = updateFromEdit(editShape, before, overlay(before, body, paths));
      if (!change.changed) return done("unchanged", before);
      if (dryRun) return done("updated", before, change.fields);
      return done(
        "updated",
        resource.view.toJson(await resource.update(deps, change.request)),
        change.fields,
      );
    },
  };
}
