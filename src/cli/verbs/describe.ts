import type { Command, Interfaces } from "@oclif/core";
import { completionsOf } from "../completion/source.js";
import { globalFlags, projectFlag, refArg } from "../flags.js";
import { itemDetail } from "../resources/item-detail.js";
import {
  columnReferences,
  type Names,
  type Reference,
  referencedNames,
} from "../resources/referenced-names.js";
import type { Gets, Ref } from "../resources/resource.js";
import { type Help, ResourceCommand } from "./resource-command.js";

/**
 * DescribeCommand reads the item the argument names and prints it: in table formats a block headed by
 * its ID and names (itemDetail), in the others through the resource's view.
 */
export abstract class DescribeCommand<C extends typeof Command, T> extends ResourceCommand<C, T> {
  // `oclif manifest` collects inherited statics only up to a class with none of its own (manifest-flags.test.ts).
  static override baseFlags = globalFlags;

  protected abstract override readonly resource: Gets<T> & { ref: Ref<T> };

  async run(): Promise<T> {
    const project = await this.scopeProject();
    const item = await this.resource.get(this.deps, project, await this.itemId());
    const format = this.outputFormat();
    const text = format === "table" || format === "wide";
    const refs = text ? this.references(item) : [];
    this.show(item, refs.length ? await referencedNames(this.deps, refs, project) : undefined);
    return item;
  }

  /** references are the other items the description names by ID; by default those of the view's columns. */
  protected references(item: T): Reference[] {
    return columnReferences(this.resource.view, item);
  }

  /**
   * show prints the item, with `names` of the items it references when printed as text; resources
   * with a richer description than their columns override it.
   */
  protected show(item: T, names?: Names): void {
    const format = this.outputFormat();
    if (format === "table" || format === "wide") this.print(itemDetail(this.resource, item, names));
    else this.printItem(this.resource.view, item);
  }
}

/** describeCommand makes the `describe` command of a resource: one item, named by its argument. */
export function describeCommand<T>(resource: Gets<T> & { ref: Ref<T> }, help: Help) {
  return class extends DescribeCommand<typeof Command, T> {
    static override summary = help.summary;
    static override description = help.description;
    static override aliases = help.aliases ?? [];
    static override examples = help.examples ?? [];
    static override args: Interfaces.ArgInput = { [resource.ref.arg]: refArg(resource) };
    static override flags: Interfaces.FlagInput = resource.scope === "project" ? { ...projectFlag } : {};
    static override completion = completionsOf(this);
    protected override readonly resource = resource;
  };
}
