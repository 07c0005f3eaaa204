import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import type { CreateShape } from "../apply/create-request.js";
import { type Candidate, writeCache } from "../completion/cache.js";
import type { CompletionSource, Source } from "../completion/source.js";
import { requireProject } from "../config/target.js";
import type { Deps } from "../deps.js";
import type { UpdateShape } from "../edit/update-request.js";
import type { View } from "../output/printer.js";

/**
 * Resource is what every command knows about one kind of item: its name in messages, how it
 * prints, whose it is (`scope`: a project's, the API server's, or the local config's) and how a
 * command names one (`ref`). The verbs a resource supports are the operations it adds (see
 * Lists, Gets, Creates, Updates, Deletes). An operator's view of a resource (admin.v2) is a
 * resource of its own that names items by the users' resource's `ref`.
 */
export interface Resource<T> {
  /** How messages name one item, e.g. "IP" or "machine". */
  noun: string;
  scope: Source["scope"];
  view: View<T>;
  ref?: Ref<T>;
}

/**
 * Ref tells how a command names one item: the positional argument, the completion source of the
 * names (`kind` is the resource module that lists them; `scope` whose they are), a candidate per
 * item, and the lookup from what the user typed to the ID.
 */
export interface Ref<T> extends Source {
  /** The name of the positional argument ("id", "tenant"); it shows in the help. */
  arg: string;
  /** The argument's help text, e.g. "IP ID.". */
  description: string;
  /** candidate shows an item as a completion value (what the argument takes) with a description (its name). */
  candidate(item: T): Candidate;
  /** lookup turns what the user typed into what the API takes; without it the text is taken as typed. */
  lookup?(deps: Deps, project: string, text: string): Promise<string>;
}

/** Lists is a resource that can list its items; `query` holds the filters (the list command's flags). */
export interface Lists<T, Q = object> extends Resource<T> {
  list(deps: Deps, project: string, query: Q): Promise<T[]>;
}

/** Gets is a resource that can read one item by its ID. */
export interface Gets<T> extends Resource<T> {
  get(deps: Deps, project: string, id: string): Promise<T>;
}

/** Creates is a resource that can create an item from a request message. */
export interface Creates<T, R> extends Resource<T> {
  create(deps: Deps, req: R): Promise<T>;
}

/** Updates is a resource that can change an item with a request message. */
export interface Updates<T, R> extends Resource<T> {
  update(deps: Deps, req: R): Promise<T>;
}

/**
 * Edits is a resource `edit` works on: read one item, and update it with the request `editShape`
 * builds from the item's JSON (project and ID name the item).
 */
export interface Edits<T, D extends DescMessage> extends Gets<T>, Updates<T, MessageShape<D>> {
  ref: Ref<T>;
  editShape(project: string, id: string): UpdateShape<D>;
}

/**
 * Applies is a resource `apply` works on: documents of `kind` hold the item as describe prints it
 * (`schema`) and name it by the ID at `idPath`. Kinds whose IDs the server chooses say how to find
 * items by the name at `namePath` (`named`), so a document without an ID is applied again to the
 * item it created; the others need the ID in the document and create the item under it.
 */
export interface Applies<T, D extends DescMessage, C extends DescMessage>
  extends Edits<T, D>,
    Creates<T, MessageShape<C>> {
  ref: Ref<T>;
  apply: {
    kind: string;
    schema: DescMessage;
    idPath: string;
    namePath?: string;
    createShape(project: string): CreateShape<C>;
    named?(deps: Deps, project: string, name: string): Promise<T[]>;
  };
}

/** Deletes is a resource that can delete (free, release) an item by its ID. */
export interface Deletes<T> extends Resource<T> {
  delete(deps: Deps, project: string, id: string): Promise<T>;
}

/** projectFor is the project a resource's requests name: the selected one for project resources, else "". */
export function projectFor(deps: Deps, scope: Source["scope"]): string {
  return scope === "project" ? requireProject(deps.target()) : "";
}

/**
 * lookupId turns what the user typed for an item into its ID. Every command that takes an item
 * resolves it here, once, so how items may be named is decided in this one place and the
 * resource's `ref.lookup`.
 */
export async function lookupId<T>(deps: Deps, resource: Resource<T>, project: string, text: string) {
  const lookup = resource.ref?.lookup;
  return lookup ? lookup(deps, project, text) : text;
}

/** completionOf lists a resource's items as completion candidates (the `completion` export of its module). */
export function completionOf<T>(resource: Lists<T> & { ref: Ref<T> }): CompletionSource {
  return {
    candidates: async (deps) =>
      (await resource.list(deps, projectFor(deps, resource.scope), {})).map((i) => resource.ref.candidate(i)),
  };
}

/**
 * remember stores a full list's items as the completion candidates of the resource's `ref` for the
 * invocation's API server (and project), so a later TAB answers from the cache.
 */
export function remember<T>(deps: Deps, resource: Resource<T>, items: T[]): void {
  const { ref } = resource;
  const t = deps.target();
  if (!ref || !t.apiUrl || ref.scope === "local") return;
  writeCache(
    deps.env,
    { apiUrl: t.apiUrl, project: t.project },
    ref,
    items.map((i) => ref.candidate(i)),
  );
}
