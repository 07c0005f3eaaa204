import { completionsOf } from "../../src/cli/completion/source.js";
import { usageError } from "../../src/cli/errors.js";
import { refArg } from "../../src/cli/flags.js";
import type { ContextRow } from "../../src/cli/resources/context.js";
import { context } from "../../src/cli/resources/context.js";
import { DescribeCommand } from "../../src/cli/verbs/describe.js";

/** ContextShow shows one context, the current one by default. */
export default class ContextShow extends DescribeCommand<typeof ContextShow, ContextRow> {
  static override summary = "Show a context (the current one by default).";
  static override args = { name: refArg(context, { optional: true }) };
  static override examples = [
    "<%= config.bin %> context show",
    "<%= config.bin %> context show prod -o yaml",
  ];
  static override completion = completionsOf(this);
  protected override readonly resource = context;

  protected override async itemId(): Promise<string> {
    const name = this.args.name ?? this.globals.context ?? this.deps.config().current;
    if (!name)
      throw usageError("no current context", "run `metalctl login --api-url URL` or `metalctl context add`");
    return name;
  }
}
