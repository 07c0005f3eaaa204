import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import type { Command, Interfaces } from "@oclif/core";
import { completionsOf } from "../completion/source.js";
import { usageError } from "../errors.js";
import { fileFlag, globalFlags } from "../flags.js";
import { requestFromFile } from "../resources/common.js";
import type { Creates } from "../resources/resource.js";
import { type Help, ResourceCommand } from "./resource-command.js";

/**
 * CreateCommand builds a create request from the flags (or a file), creates the item, notes it on
 * stderr and prints it through the resource's view. Subclasses write `request()`; `submit()` is the
 * step to override for progress or waiting.
 */
export abstract class CreateCommand<C extends typeof Command, T, R> extends ResourceCommand<C, T> {
  // `oclif manifest` collects inherited statics only up to a class with none of its own (manifest-flags.test.ts).
  static override baseFlags = globalFlags;

  protected abstract override readonly resource: Creates<T, R>;

  async run(): Promise<T> {
    const item = await this.submit(await this.request(await this.scopeProject()));
    const done = this.created(item);
    if (done) this.note(done);
    this.printItem(this.resource.view, item);
    return item;
  }

  /** request builds the create request (from flags, prompts or a file) for the project ("" if none). */
  protected abstract request(project: string): R | Promise<R>;

  /** submit sends the request; the default is the resource's create. */
  protected submit(req: R): Promise<T> {
    return this.resource.create(this.deps, req);
  }

  /** created is the note after the creation, if any. */
  protected created(_item: T): string | undefined {
    return undefined;
  }
}

/**
 * createFromFileCommand makes an operator's `create -f FILE` command: the file is the create
 * request in the proto JSON mapping, as YAML or JSON.
 */
export function createFromFileCommand<T, D extends DescMessage>(
  resource: Creates<T, MessageShape<D>>,
  schema: D,
  help: Help,
) {
  return class extends CreateCommand<typeof Command, T, MessageShape<D>> {
    static override summary = help.summary;
    static override description = help.description;
    static override aliases = help.aliases ?? [];
    static override examples = help.examples ?? [];
    static override flags: Interfaces.FlagInput = { ...fileFlag };
    static override completion = completionsOf(this);
    protected override readonly resource = resource;

    protected override request(): MessageShape<D> {
      const { file } = this.flags as { file?: string };
      if (!file) {
        throw usageError(
          `${this.id?.replaceAll(":", " ")}: missing --file`,
          `write the ${resource.noun} as YAML, e.g. from describe -o yaml`,
        );
      }
      return requestFromFile(schema, file);
    }
  };
}
