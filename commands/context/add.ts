import { Args, Flags } from "@oclif/core";
import { serverMetadata } from "../../src/cli/auth/oauth.js";
import { MetalCommand } from "../../src/cli/base-command.js";
import { normalizeApiUrl, upsertContext, validateContextName } from "../../src/cli/config/store.js";
import { CliError, ExitCode, usageError } from "../../src/cli/errors.js";
import { quietFlags } from "../../src/cli/flags.js";
import { type OutputFormat, outputFormats } from "../../src/cli/output/printer.js";

/** ContextAdd adds a context without logging in (e.g. for METALCTL_API_TOKEN use). */
export default class ContextAdd extends MetalCommand<typeof ContextAdd> {
  static override summary = "Add a context: a name for an API server with a default project and output.";
  static override baseFlags = quietFlags;
  static override args = { name: Args.string({ description: "Context name.", required: true }) };
  static override flags = {
    "default-project": Flags.string({ summary: "Project used when --project is not given." }),
    "default-output": Flags.string({
      summary: "Output format used when -o is not given.",
      options: [...outputFormats],
    }),
    activate: Flags.boolean({ summary: "Make it the current context.", default: false }),
  };
  static override examples = [
    "<%= config.bin %> context add prod --api-url https://api.example.com --activate",
  ];

  async run(): Promise<void> {
    const { args, flags } = this;
    const name = validateContextName(args.name);
    const config = this.deps.config();
    if (config.contexts.some((c) => c.name === name)) {
      throw usageError(`context "${name}" already exists`, "use `metalctl context update` to change it");
    }
    if (!this.globals["api-url"])
      throw usageError("--api-url is required", "e.g. --api-url https://api.example.com");
    const apiUrl = normalizeApiUrl(this.globals["api-url"]);
    // A server that answers as something else stops here; one that is down may be set up ahead of time.
    const reachable = await serverMetadata(apiUrl).then(
      () => true,
      (err: unknown) => {
        if (err instanceof CliError && err.exitCode === ExitCode.unavailable) return false;
        throw err;
      },
    );
    let next = upsertContext(config, {
      name,
      apiUrl,
      ...(flags["default-project"] ? { defaultProject: flags["default-project"] } : {}),
      ...(flags["default-output"] ? { output: flags["default-output"] as OutputFormat } : {}),
    });
    if (flags.activate || !config.current) next = { ...next, current: name, previous: config.current };
    this.deps.saveConfig(next);
    this.note(`Added context "${name}"${next.current === name ? " and made it current" : ""}.`);
    if (!reachable)
      this.note(`Note: ${apiUrl} did not answer; the context is added without checking the server.`);
  }
}
