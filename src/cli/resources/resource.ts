import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import type { CreateShape } from "../apply/create-request.js";
import { type Candidate, writeCache } from "../completion/cache.js";
import type { CompletionSource, Source } from "../completion/source.js";
import type { Deps } from "../deps.js";
import type { UpdateShape } from "../edit/update-request.js";
import { CliError, ExitCode } from "../errors.js";
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
  /**
   * names are what else than its ID names an item (a name, a hostname, an address), for lookups:
   * with them a listed resource's items may be named by any of these, or by a unique ID prefix.
   */
  names?(item: T): string[];
  /** detail tells apart items of the same name in an ambiguity error, e.g. a project's tenant. */
  detail?(item: T): string;
  /**
   * unmatched is what becomes of text that names no listed item: "refuse" (exit 5, the default), or
   * "server" to send it as typed because the server resolves more forms (an image's "ubuntu" is its latest).
   */
  unmatched?: "refuse" | "server";
  /** lookup replaces the shared lookup (lookupId) for resources named in a way of their own. */
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

/** isUuid tells a complete UUID, which lookups send as typed: the server knows it, or says it does not. */
export function isUuid(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);
}

/** Naming tells pickItem how an item is named: by its ID and names, and how a candidate line reads. */
export interface Naming<T> {
  /** The noun in messages, e.g. "project". */
  noun: string;
  id(item: T): string;
  names(item: T): string[];
  /** describe shows one candidate in an error, e.g. `id (name)`. */
  describe(item: T): string;
  /** The command that lists the items, for the hint of "not found". */
  listCommand: string;
  /** Whether a unique ID prefix names an item (as in git and docker). */
  prefixes: boolean;
}

/** MAX_CANDIDATES caps the candidates an ambiguity error lists. */
const MAX_CANDIDATES = 10;

/**
 * pickItem finds the item `text` names: by exact ID, else by exact name, else by a unique ID prefix.
 * Several items with that name or prefix are a usage error (exit 2) listing them; none returns
 * undefined, so the caller decides between "not found" and sending the text to the server.
 */
export function pickItem<T>(items: readonly T[], text: string, naming: Naming<T>): T | undefined {
  const byId = items.find((i) => naming.id(i) === text);
  if (byId) return byId;
  const tiers = [
    items.filter((i) => naming.names(i).includes(text)),
    naming.prefixes && text ? items.filter((i) => naming.id(i).startsWith(text)) : [],
  ];
  for (const found of tiers) {
    if (found.length === 1) return found[0];
    if (found.length > 1) {
      const shown = found.slice(0, MAX_CANDIDATES).map((i) => naming.describe(i));
      if (found.length > MAX_CANDIDATES) shown.push(`… ${found.length - MAX_CANDIDATES} more`);
      throw new CliError(
        `${naming.noun} "${text}" is ambiguous: ${found.length} match`,
        ExitCode.usage,
        `name one by its ID: ${shown.join(", ")}`,
      );
    }
  }
  return undefined;
}

/** notFound is the error for text that names none of the items the caller can see (exit 5). */
export function notFound(noun: string, text: string, listCommand: string): CliError {
  return new CliError(
    `no ${noun} "${text}" among the ${noun}s you can use`,
    ExitCode.notFound,
    `run \`${listCommand}\` to see them`,
  );
}

/** otherNames are the names of an item besides its ID, each once (a machine's hostname is often its name). */
function otherNames<T>(ref: Ref<T>, item: T): string[] {
  const id = ref.candidate(item).value;
  return [...new Set((ref.names?.(item) ?? []).filter((n) => n && n !== id))];
}

/**
 * itemTitle names one item where people read it, the names next to the ID as in every message:
 * `Machine 3ae6d2bc-… (web-1)`, `IP 4dddfb34-… (10.128.0.2, gateway)`, `Partition fra-equ01`.
 */
export function itemTitle<T>(resource: Resource<T> & { ref: Ref<T> }, item: T): string {
  const noun = resource.noun.charAt(0).toUpperCase() + resource.noun.slice(1);
  const other = otherNames(resource.ref, item);
  const id = resource.ref.candidate(item).value;
  return `${noun} ${id}${other.length ? ` (${other.join(", ")})` : ""}`;
}

/** refNaming is how a resource's `ref` names its items, for pickItem. */
export function refNaming<T>(resource: Resource<T> & { ref: Ref<T> }): Naming<T> {
  const { ref } = resource;
  const names = (i: T) => (ref.names?.(i) ?? []).filter(Boolean);
  return {
    noun: resource.noun,
    id: (i) => ref.candidate(i).value,
    names,
    describe: (i) => {
      const id = ref.candidate(i).value;
      const other = [...otherNames(ref, i), ref.detail?.(i) ?? ""].filter(Boolean);
      return other.length ? `${id} (${other.join(", ")})` : id;
    },
    listCommand: `metalctl ${ref.kind} list`,
    prefixes: ref.unmatched !== "server",
  };
}

/**
 * lookupId turns what the user typed for an item into its ID. Every command that takes an item (as
 * argument or flag) resolves it here, once, so how items may be named is decided in this one place:
 * a complete UUID is sent as typed; otherwise a listed resource's items are matched by ID, by the
 * names its `ref` gives, or by a unique ID prefix (pickItem), an unknown one refused with exit 5.
 */
export async function lookupId<T>(deps: Deps, resource: Resource<T>, project: string, text: string) {
  return (await lookupIds(deps, resource, project, [text]))[0]!;
}

/** lookupIds is lookupId for several items of one resource, listing its items at most once. */
export async function lookupIds<T>(
  deps: Deps,
  resource: Resource<T>,
  project: string,
  texts: readonly string[],
): Promise<string[]> {
  const ref = resource.ref;
  if (!ref) return [...texts];
  const custom = ref.lookup;
  if (custom) return Promise.all(texts.map((t) => custom(deps, project, t)));
  if (!("list" in resource)) return [...texts];
  const naming = refNaming({ ...resource, ref });
  let items: Promise<T[]> | undefined;
  const ids: string[] = [];
  for (const text of texts) {
    if (isUuid(text)) {
      ids.push(text);
      continue;
    }
    items ??= (resource as Lists<T>).list(deps, project, {});
    const found = pickItem(await items, text, naming);
    if (found) ids.push(naming.id(found));
    else if (ref.unmatched === "server") ids.push(text);
    else throw notFound(resource.noun, text, naming.listCommand);
  }
  return ids;
}

/** completionOf lists a resource's items as completion candidates (the `completion` export of its module). */
export function completionOf<T>(resource: Lists<T> & { ref: Ref<T> }): CompletionSource {
  return {
    candidates: async (deps, project) =>
      (await resource.list(deps, project, {})).map((i) => resource.ref.candidate(i)),
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
