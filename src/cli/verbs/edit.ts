import type { DescMessage } from "@bufbuild/protobuf";
import type { Command, Interfaces } from "@oclif/core";
import { completionsOf } from "../completion/source.js";
import { runEditor, startEdit } from "../edit/editor.js";
import { updateFromEdit } from "../edit/update-request.js";
import { toCliError, usageError } from "../errors.js";
import { globalFlags, projectFlag, refArg } from "../flags.js";
import type { JsonValue } from "../output/printer.js";
import type { Edits } from "../resources/resource.js";
import { yaml } from "../yaml.js";
import { type Help, ResourceCommand } from "./resource-command.js";

/**
 * EditCommand opens the item as `describe -o yaml` prints it in $VISUAL/$EDITOR and sends only what
 * changed, with the generation it read: when someone changed the item meanwhile the server refuses
 * (exit 6) and the edited file is kept for another try, as it is on any other failure. Nothing is
 * sent when nothing changed.
 */
export abstract class EditCommand<C extends typeof Command, T, D extends DescMessage> extends ResourceCommand<
  C,
  T
> {
  // `oclif manifest` collects inherited statics only up to a class with none of its own (manifest-flags.test.ts).
  static override baseFlags = globalFlags;

  protected abstract override readonly resource: Edits<T, D>;

  async run(): Promise<T> {
    const project = await this.scopeProject();
    const id = await this.itemId();
    const item = await this.resource.get(this.deps, project, id);
    const before = this.resource.view.toJson(item);
    const session = startEdit(
      `${this.resource.noun}-${id}`,
      yaml().stringify(before, { aliasDuplicateObjects: false }),
    );
    const kept = (err: unknown): never => {
      const e = toCliError(err);
      e.hint = `${e.hint ? `${e.hint}; ` : ""}your edit is kept in ${session.file}`;
      throw e;
    };
    await runEditor(this.deps.env, session.file);
    let after: JsonValue;
    try {
      after = yaml().parse(session.read()) as JsonValue;
    } catch (err) {
      return kept(usageError(`the edited file is not YAML: ${(err as Error).message.split("\n")[0]}`));
    }
    let change: ReturnType<typeof updateFromEdit<D>>;
    try {
      change = updateFromEdit(this.resource.editShape(project, id), before, after);
    } catch (err) {
      return kept(err);
    }
    if (!change.changed) {
      session.discard();
      this.note(`${this.resource.noun} ${id}: nothing changed`);
      return item;
    }
    const updated = await this.resource.update(this.deps, change.request).catch(kept);
    session.discard();
    this.note(`${this.resource.noun} ${id} updated: ${change.fields.join(", ")}`);
    this.printItem(this.resource.view, updated);
    return updated;
  }
}

/** editCommand makes the `edit` command of a resource: one item, named by its argument. */
export function editCommand<T, D extends DescMessage>(resource: Edits<T, D>, help: Help) {
  return class extends EditCommand<typeof Command, T, D> {
    static override summary = help.summary;
    static override description =
      help.description ??
      "Opens the item as describe -o yaml prints it in $VISUAL or $EDITOR (else vi) and applies only the " +
        "fields you changed. When someone changed it meanwhile, nothing is applied (exit 6) and your edit " +
        "is kept in the file named in the message.";
    static override examples = help.examples ?? [];
    static override args: Interfaces.ArgInput = { [resource.ref.arg]: refArg(resource) };
    static override flags: Interfaces.FlagInput = resource.scope === "project" ? { ...projectFlag } : {};
    static override completion = completionsOf(this);
    protected override readonly resource = resource;
  };
}
