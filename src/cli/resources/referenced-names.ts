import { listCandidates } from "../completion/fetch.js";
import type { Source } from "../completion/source.js";
import type { Deps } from "../deps.js";
import type { View } from "../output/printer.js";

/** Reference is an item another one names by its ID, with the completion source that lists its kind. */
export interface Reference {
  source: Source;
  id: string;
}

/** Names maps IDs of referenced items to their names. */
export type Names = ReadonlyMap<string, string>;

/** columnReferences are the IDs an item's columns show of other items (the columns with `names`). */
export function columnReferences<T>(view: View<T>, item: T): Reference[] {
  const epoch = new Date(0);
  return view.columns.flatMap((c) => {
    const id = c.names ? c.value(item, epoch) : "";
    return c.names && id ? [{ source: c.names, id }] : [];
  });
}

/**
 * referencedNames looks up the names of referenced items, one list per kind (in `project` for
 * project kinds). A kind the caller may not list, or that fails, leaves its IDs without names:
 * the names are a help for reading, never a reason for a describe to fail.
 */
export async function referencedNames(deps: Deps, refs: Reference[], project: string): Promise<Names> {
  const kinds = new Map<string, Source>(refs.map((r) => [`${r.source.scope}/${r.source.kind}`, r.source]));
  const wanted = new Set(refs.map((r) => r.id));
  const names = new Map<string, string>();
  await Promise.all(
    [...kinds.values()].map(async (source) => {
      const found = await listCandidates(deps, source, source.scope === "project" ? project : "").catch(
        () => [],
      );
      for (const c of found) if (wanted.has(c.value) && c.description) names.set(c.value, c.description);
    }),
  );
  return names;
}

/** withName shows an ID with the name of its item next to it, `6102f192-… (demo)`, or the ID alone. */
export function withName(id: string, names: Names | undefined): string {
  const name = names?.get(id);
  return name && name !== id ? `${id} (${name})` : id;
}
