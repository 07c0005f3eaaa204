import { MetalCommand } from "../../src/cli/base-command.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { type ContextRow, contextView } from "../../src/cli/resources/context.js";

/** ContextList lists the configured contexts and marks the current one. */
export default class ContextList extends MetalCommand<ContextRow[]> {
  static override summary = "List contexts (API server, default project) and mark the current one.";
  static override examples = ["<%= config.bin %> context list", "<%= config.bin %> context list -o yaml"];

  async run(): Promise<ContextRow[]> {
    await this.parse(ContextList);
    const config = this.deps.config();
    return config.contexts.map((c) => ({ ...c, current: c.name === config.current }));
  }

  protected override present(rows: ContextRow[]): Printable<ContextRow> {
    return { view: contextView, items: rows, list: true };
  }
}
