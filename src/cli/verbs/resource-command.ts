import type { Command } from "@oclif/core";
import { MetalCommand } from "../base-command.js";
import { usageError } from "../errors.js";
import { lookupId, type Resource } from "../resources/resource.js";
import { projectIn } from "../resources/selected-project.js";

/** Help is the help text of a command made by a verb factory; it stays inline in the command's file. */
export interface Help {
  summary: string;
  description?: string;
  aliases?: string[];
  examples?: string[];
}

/**
 * ResourceCommand is the base of the verb commands: a command about one resource, which knows the
 * project its requests name and which item the positional argument names.
 */
export abstract class ResourceCommand<C extends typeof Command, T> extends MetalCommand<C> {
  /** resource is what the command acts on; subclasses set it to their resource module's export. */
  protected abstract readonly resource: Resource<T>;
  private scoped?: Promise<string>;
  private item?: Promise<string>;

  /** scopeProject is the project the resource's requests name: the selected one, or "" for resources that are not a project's. */
  protected scopeProject(): Promise<string> {
    this.scoped ??= projectIn(this.deps, this.resource.scope);
    return this.scoped;
  }

  /** itemId is the ID of the item the positional argument names, looked up once. */
  protected itemId(): Promise<string> {
    this.item ??= (async () => {
      const ref = this.resource.ref;
      const text = ref && (this.args as Record<string, string | undefined>)[ref.arg];
      if (!ref || !text) throw usageError(`missing the ${this.resource.noun} ID`);
      return lookupId(this.deps, this.resource, await this.scopeProject(), text);
    })();
    return this.item;
  }
}
