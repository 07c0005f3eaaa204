import type { Command, Interfaces } from "@oclif/core";
import { completionsOf } from "../completion/source.js";
import { globalFlags, projectFlag, refArg, yesFlag } from "../flags.js";
import { confirmDestructive } from "../resources/common.js";
import type { Deletes, Gets, Ref } from "../resources/resource.js";
import { type Help, ResourceCommand } from "./resource-command.js";

/**
 * DeleteCommand deletes (frees, releases) the item the argument names after a confirmation on a
 * terminal (or --yes), says so on stderr and prints what was deleted.
 */
export abstract class DeleteCommand<C extends typeof Command, T> extends ResourceCommand<C, T> {
  // `oclif manifest` collects inherited statics only up to a class with none of its own (manifest-flags.test.ts).
  static override baseFlags = globalFlags;

  protected abstract override readonly resource: Deletes<T> & { ref: Ref<T> };

  async run(): Promise<T> {
    const project = await this.scopeProject();
    const id = await this.itemId();
    const yes = (this.flags as { yes?: boolean }).yes;
    const asked = yes || !this.deps.io.canPrompt ? id : await this.named(project, id);
    await confirmDestructive(this.deps, this.question(asked, project), yes);
    const item = await this.resource.delete(this.deps, project, id);
    const done = this.deleted(item, id);
    if (done) this.note(done);
    this.printItem(this.resource.view, item);
    return item;
  }

  /**
   * named is how the confirmation names the item: "web-1 (3f2a…)" when the resource reads items and
   * they have a name, so a person sees what they are about to delete; else the ID.
   */
  private async named(project: string, id: string): Promise<string> {
    const { ref } = this.resource;
    if (!ref.names || !("get" in this.resource)) return id;
    const item = await (this.resource as unknown as Gets<T>).get(this.deps, project, id);
    const name = ref.names(item).find((n) => n && n !== id);
    return name ? `${name} (${id})` : id;
  }

  /** question is what the confirmation asks, e.g. "release IP 1a2b of project p1". */
  protected abstract question(id: string, project: string): string;

  /** deleted is the note after the deletion, if any. */
  protected deleted(_item: T, _id: string): string | undefined {
    return undefined;
  }
}

/** DeleteHelp is a delete command's help plus its confirmation question and its note when done. */
export interface DeleteHelp<T> extends Help {
  question(id: string, project: string): string;
  deleted?(item: T, id: string): string;
}

/** deleteCommand makes the `delete` command of a resource from its help, question and note. */
export function deleteCommand<T>(resource: Deletes<T> & { ref: Ref<T> }, help: DeleteHelp<T>) {
  return class extends DeleteCommand<typeof Command, T> {
    static override summary = help.summary;
    static override description = help.description;
    static override aliases = help.aliases ?? [];
    static override examples = help.examples ?? [];
    static override args: Interfaces.ArgInput = { [resource.ref.arg]: refArg(resource) };
    static override flags: Interfaces.FlagInput = {
      ...(resource.scope === "project" ? projectFlag : {}),
      ...yesFlag,
    };
    static override completion = completionsOf(this);
    protected override readonly resource = resource;
    protected override question(id: string, project: string): string {
      return help.question(id, project);
    }
    protected override deleted(item: T, id: string): string | undefined {
      return help.deleted?.(item, id);
    }
  };
}
