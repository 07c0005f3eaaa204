import type { Command } from "@oclif/core";
import { globalFlags } from "../flags.js";
import type { Updates } from "../resources/resource.js";
import { ResourceCommand } from "./resource-command.js";

/**
 * UpdateCommand builds an update request from the flags (or a file), sends it and prints the
 * changed item through the resource's view. Subclasses write `request()`.
 */
export abstract class UpdateCommand<C extends typeof Command, T, R> extends ResourceCommand<C, T> {
  // `oclif manifest` collects inherited statics only up to a class with none of its own (manifest-flags.test.ts).
  static override baseFlags = globalFlags;

  protected abstract override readonly resource: Updates<T, R>;

  async run(): Promise<T> {
    const item = await this.resource.update(this.deps, await this.request(await this.scopeProject()));
    const done = this.updated(item);
    if (done) this.note(done);
    this.printItem(this.resource.view, item);
    return item;
  }

  /** request builds the update request (from flags or a file) for the project ("" if none). */
  protected abstract request(project: string): R | Promise<R>;

  /** updated is the note after the change, if any. */
  protected updated(_item: T): string | undefined {
    return undefined;
  }
}
