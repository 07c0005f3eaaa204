import type { Command, Interfaces } from "@oclif/core";
import { completionsOf } from "../completion/source.js";
import { globalFlags, projectFlag } from "../flags.js";
import { type Lists, lookupId, type Resource, remember } from "../resources/resource.js";
import { type Help, ResourceCommand } from "./resource-command.js";

/**
 * RefResource is the resource a filter flag names, or a loader of its module: a filter that is rarely
 * given then costs nothing (its API descriptors are decoded only when the flag is used).
 */
export type RefResource = Resource<never> | (() => Promise<Resource<never>>);

/**
 * ListCommand lists a resource's items with the command's flags as filters, prints them through
 * the resource's view, and remembers a full (unfiltered) list for completion.
 */
export abstract class ListCommand<C extends typeof Command, T> extends ResourceCommand<C, T> {
  // `oclif manifest` collects inherited statics only up to a class with none of its own (manifest-flags.test.ts).
  static override baseFlags = globalFlags;

  protected abstract override readonly resource: Lists<T, never>;
  /** refs names the filter flags that take an item of another resource, looked up like arguments. */
  protected readonly refs: Record<string, RefResource> = {};

  async run(): Promise<T[]> {
    const project = await this.scopeProject();
    const items = await this.resource.list(this.deps, project, (await this.resolvedQuery(project)) as never);
    if (!this.filtered()) remember(this.deps, this.resource, items);
    this.printList(this.resource.view, items);
    if (items.length === 0) this.sayEmpty(project);
    return items;
  }

  /**
   * sayEmpty tells a person at a terminal that the list is empty ("No machines in project p1."),
   * on stderr; piped or machine-readable output (JSON, YAML, templates) stays empty.
   */
  private sayEmpty(project: string): void {
    if (this.deps.io.stdout.isTTY !== true || !["table", "wide", "markdown"].includes(this.outputFormat()))
      return;
    const what = plural(this.resource.noun);
    const narrowed = this.filtered() ? " match the filters" : "";
    this.note(`No ${what}${project ? ` in project ${project}` : ""}${narrowed}.`);
  }

  /** query is what the resource's list filters by: the parsed flags unless a command says otherwise. */
  protected query(): unknown {
    return this.flags;
  }

  /** resolvedQuery is the query with the items its `refs` flags name turned into IDs (lookupId). */
  private async resolvedQuery(project: string): Promise<unknown> {
    const query = { ...(this.query() as Record<string, unknown>) };
    for (const [flag, ref] of Object.entries(this.refs)) {
      const text = query[flag];
      if (typeof text !== "string" || !text) continue;
      const resource = typeof ref === "function" ? await ref() : ref;
      query[flag] = await lookupId(this.deps, resource, project, text);
    }
    return query;
  }

  /** filtered tells whether any of the command's own flags (the project aside) narrowed the list. */
  protected filtered(): boolean {
    const own = Object.keys(this.ctor.flags ?? {}).filter((k) => k !== "project");
    const flags = this.flags as Record<string, unknown>;
    return own.some((k) =>
      Array.isArray(flags[k]) ? (flags[k] as unknown[]).length > 0 : Boolean(flags[k]),
    );
  }
}

/** plural is a noun's plural as the empty-list note says it ("IPs", "audit entries"). */
function plural(noun: string): string {
  return /[^aeiou]y$/.test(noun) ? `${noun.slice(0, -1)}ies` : `${noun}s`;
}

/**
 * listCommand makes the `list` command of a resource: its filter flags (plus --project for a
 * project's resources) go to the resource's list as the query, those in `refs` looked up first.
 */
export function listCommand<T, F extends Interfaces.FlagInput>(
  resource: Lists<T, Interfaces.InferredFlags<F>>,
  help: Help & { flags?: F; refs?: { [K in keyof F]?: RefResource } },
) {
  const { flags, refs, ...text } = help;
  return class extends ListCommand<typeof Command, T> {
    static override summary = text.summary;
    static override description = text.description;
    static override aliases = text.aliases ?? [];
    static override examples = text.examples ?? [];
    static override flags: Interfaces.FlagInput = {
      ...(resource.scope === "project" ? projectFlag : {}),
      ...flags,
    };
    static override completion = completionsOf(this);
    protected override readonly resource = resource as Lists<T, never>;
    protected override readonly refs = (refs ?? {}) as Record<string, RefResource>;
  };
}
