import { Args } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { findContext } from "../../src/cli/config/store.js";
import { usageError } from "../../src/cli/errors.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { type ContextRow, contextView } from "../../src/cli/resources/context.js";

/** ContextShow shows one context, the current one by default. */
export default class ContextShow extends MetalCommand<ContextRow> {
  static override summary = "Show a context (the current one by default).";
  static override args = { name: Args.string({ description: "Context name." }) };
  static override examples = [
    "<%= config.bin %> context show",
    "<%= config.bin %> context show prod -o yaml",
  ];

  async run(): Promise<ContextRow> {
    const { args } = await this.parse(ContextShow);
    const config = this.deps.config();
    const name = args.name ?? this.globals.context ?? config.current;
    if (!name)
      throw usageError("no current context", "run `metalctl login --api-url URL` or `metalctl context add`");
    return { ...findContext(config, name), current: name === config.current };
  }

  protected override present(row: ContextRow): Printable<ContextRow> {
    return { view: contextView, items: [row], list: false };
  }
}
