import { Flags } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { completionsOf } from "../../src/cli/completion/source.js";
import { findContext, normalizeApiUrl, upsertContext } from "../../src/cli/config/store.js";
import { usageError } from "../../src/cli/errors.js";
import { quietFlags, refArg } from "../../src/cli/flags.js";
import { type OutputFormat, outputFormats } from "../../src/cli/output/printer.js";
import { context } from "../../src/cli/resources/context.js";

/** ContextUpdate changes a context's API URL, default project or output preference. */
export default class ContextUpdate extends MetalCommand<typeof ContextUpdate> {
  static override summary = "Change a context's API URL, default project or default output.";
  static override baseFlags = quietFlags;
  static override args = {
    name: refArg(context, { description: "Context name (default: the current one).", optional: true }),
  };
  static override flags = {
    "default-project": Flags.string({ summary: "Project used when --project is not given ('' clears it)." }),
    "default-output": Flags.string({
      summary: "Output format used when -o is not given.",
      options: [...outputFormats],
    }),
  };
  static override examples = ["<%= config.bin %> context update prod --default-project 3f2a…"];
  static override completion = completionsOf(this);

  async run(): Promise<void> {
    const { args, flags } = this;
    const config = this.deps.config();
    const name = args.name ?? config.current;
    if (!name) throw usageError("no context named and no current context", "pass the context name");
    const ctx = { ...findContext(config, name) };
    const apiUrl = this.globals["api-url"];
    if (
      apiUrl === undefined &&
      flags["default-project"] === undefined &&
      flags["default-output"] === undefined
    ) {
      throw usageError("nothing to change", "pass --api-url, --default-project or --default-output");
    }
    if (apiUrl !== undefined) ctx.apiUrl = normalizeApiUrl(apiUrl);
    if (flags["default-project"] !== undefined) {
      if (flags["default-project"]) ctx.defaultProject = flags["default-project"];
      else delete ctx.defaultProject;
    }
    if (flags["default-output"] !== undefined) ctx.output = flags["default-output"] as OutputFormat;
    this.deps.saveConfig(upsertContext(config, ctx));
    this.note(`Updated context "${name}".`);
  }
}
