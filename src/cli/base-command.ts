import { Command, Errors, type Interfaces } from "@oclif/core";
import { createDeps, type Deps } from "./deps.js";
import { formatCliError, permissionHint, permissionNeeded, toCliError } from "./errors.js";
import { globalFlags } from "./flags.js";
import { type OutputFormat, type Printable, render } from "./output/printer.js";

/** GlobalFlagValues are the parsed global flags every command has. */
export type GlobalFlagValues = Interfaces.InferredFlags<typeof globalFlags> & { project?: string };

/**
 * MetalCommand is the base of every metalctl command: it owns the global flags, builds the lazy
 * dependencies, prints what `run()` returns (through `present`) in the chosen format, and maps
 * every error to one line on stderr plus a documented exit code.
 */
export abstract class MetalCommand<T = unknown> extends Command {
  static override baseFlags = globalFlags;

  /** deps is the lazy dependency factory of this invocation. */
  protected deps!: Deps;
  /** globals holds the parsed global flags. */
  protected globals!: GlobalFlagValues;

  protected override async init(): Promise<void> {
    await super.init();
    const ctor = this.ctor as typeof MetalCommand;
    const { flags } = await this.parse({
      flags: ctor.flags,
      baseFlags: ctor.baseFlags,
      args: ctor.args,
      strict: ctor.strict,
    });
    this.globals = flags as GlobalFlagValues;
    this.deps = createDeps({
      flags: {
        context: this.globals.context,
        apiUrl: this.globals["api-url"],
        project: this.globals.project,
        timeout: this.globals.timeout,
        debug: this.globals.debug,
        color: this.globals.color,
      },
      env: process.env,
      userAgent: `metalctl/${this.config.version} (${process.platform}; node ${process.version})`,
    });
  }

  /** run does the command's work and returns typed data; the base prints it via `present`. */
  abstract override run(): Promise<T>;

  /** present tells how to print the result; commands without stdout output keep the default. */
  protected present(_result: T): Printable<unknown> | undefined {
    return undefined;
  }

  protected override async _run<R>(): Promise<R> {
    const result = (await super._run<R>()) as unknown as T;
    try {
      const printable = result === undefined ? undefined : this.present(result);
      if (printable) this.print(printable);
    } catch (err) {
      await this.catch(err as Errors.CLIError);
    }
    return result as unknown as R;
  }

  /** outputFormat is `-o`, else `table`-like defaults: template when --template is given, else the context's preference. */
  protected outputFormat(): OutputFormat {
    if (this.globals.output) return this.globals.output as OutputFormat;
    if (this.globals.template) return "template";
    return this.deps.target().context?.output ?? "table";
  }

  /** print renders a Printable to stdout in the chosen output format. */
  protected print(p: Printable): void {
    const text = render(p, {
      format: this.outputFormat(),
      template: this.globals.template,
      noHeaders: this.globals["no-headers"],
      sortBy: this.globals["sort-by"],
      color: this.deps.io.color,
      now: this.deps.now(),
    });
    this.deps.io.stdout.write(text);
  }

  /** note writes a human-facing line to stderr, keeping stdout parseable. */
  protected note(line: string): void {
    this.deps.io.err(line);
  }

  protected override async catch(err: Error & { exitCode?: number }): Promise<never> {
    if (err instanceof Errors.ExitError) throw err;
    const e = toCliError(err);
    const needed = await permissionNeeded(err);
    if (needed) e.hint = permissionHint(needed);
    process.stderr.write(
      formatCliError(e, {
        json: this.globals?.output === "json",
        stack: this.globals?.debug ? err.stack : undefined,
      }),
    );
    this.exit(e.exitCode);
  }
}
