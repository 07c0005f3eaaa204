import { Command, Errors, type Interfaces } from "@oclif/core";
import { type Completions, completionsOf } from "./completion/source.js";
import { createDeps, type Deps, type DepsOverrides } from "./deps.js";
import {
  ExitCode,
  formatCliError,
  permissionHint,
  permissionNeeded,
  toCliError,
  usageError,
} from "./errors.js";
import { globalFlags, type outputFlags, type quietFlags } from "./flags.js";
import { type JqRunner, loadJq } from "./output/jq.js";
import { type OutputFormat, type Printable, render, type View } from "./output/printer.js";
import type { Template } from "./output/template.js";
import { selectedProject } from "./resources/selected-project.js";

/** GlobalFlagValues are the parsed global flags every command has. */
export type GlobalFlagValues = Interfaces.InferredFlags<typeof globalFlags> & { project?: string };

/** CommandFlags are the parsed flags of a command class: its own and the global ones. */
export type CommandFlags<C extends typeof Command> = Interfaces.InferredFlags<
  typeof globalFlags & C["flags"]
>;

/** CommandArgs are the parsed arguments of a command class. */
export type CommandArgs<C extends typeof Command> = Interfaces.InferredArgs<C["args"]>;

/**
 * MetalCommand is the base of every metalctl command (`class X extends MetalCommand<typeof X>`):
 * it parses the flags and arguments once, before `run()`, into `this.flags` and `this.args`,
 * builds the lazy dependencies, prints in the chosen output format, and maps every error to one
 * line on stderr plus a documented exit code.
 */
export abstract class MetalCommand<C extends typeof Command = typeof Command> extends Command {
  /** baseFlags are the global flags; a command that prints nothing on stdout sets them to quietFlags. */
  static override baseFlags: typeof quietFlags & Partial<typeof outputFlags> = globalFlags;
  /** completion declares where flag and argument values come from; oclif copies it into the manifest. */
  static completion: Completions = completionsOf({ baseFlags: globalFlags });

  /** flags are the parsed flags, the global ones included. */
  protected flags!: CommandFlags<C>;
  /** args are the parsed arguments. */
  protected args!: CommandArgs<C>;
  /** deps is the lazy dependency factory of this invocation. */
  protected deps!: Deps;

  /** jq runs `--jq` programs; it is loaded in init only when the flag is given. */
  private jq?: JqRunner;
  /** parseTemplate parses `--template`; the template engine is loaded in init only when the flag is given. */
  private parseTemplate?: (source: string) => Template;

  protected override async init(): Promise<void> {
    await super.init();
    this.argv = withJsonValue(this.argv);
    const ctor = this.ctor as typeof MetalCommand;
    const { flags, args } = await this.parse({
      flags: ctor.flags,
      baseFlags: ctor.baseFlags,
      args: ctor.args,
      strict: ctor.strict,
    });
    this.flags = flags as CommandFlags<C>;
    this.args = args as CommandArgs<C>;
    const g = this.globals;
    const overrides = this.overrides();
    this.deps = createDeps({
      ...overrides,
      flags: {
        context: g.context,
        apiUrl: g["api-url"],
        project: g.project,
        timeout: g.timeout,
        debug: g.debug,
        color: g.color,
      },
      env: overrides.env ?? process.env,
      userAgent: `metalctl/${this.config.version} (${process.platform}; node ${process.version})`,
    });
    if ((g.json !== undefined || g.jq !== undefined) && g.output && g.output !== "json") {
      throw usageError(`--json and --jq print JSON; leave out -o ${g.output}`);
    }
    if (g.jq !== undefined) this.jq = await loadJq();
    if (g.template !== undefined)
      ({ parseTemplate: this.parseTemplate } = await import("./output/template.js"));
  }

  /**
   * overrides replaces parts at the edge of the process (environment, streams, transport, prompter,
   * clock) for one invocation; a command run in-process, e.g. by a test, overrides this method.
   */
  protected overrides(): DepsOverrides {
    return {};
  }

  /** globals are the parsed flags as the global ones every command has. */
  protected get globals(): GlobalFlagValues {
    return this.flags as GlobalFlagValues;
  }

  /** project is the ID of the project to act on (flag, environment or context; ID or name), or a usage error naming how to choose one. */
  protected project(): Promise<string> {
    return selectedProject(this.deps);
  }

  /** outputFormat is `-o`, else template when --template is given, else the context's preference or table. */
  protected outputFormat(): OutputFormat {
    if (this.globals.output) return this.globals.output as OutputFormat;
    if (this.globals.json !== undefined || this.globals.jq !== undefined) return "json";
    if (this.globals.template) return "template";
    return this.deps.target().context?.output ?? "table";
  }

  /** print renders a Printable to stdout in the chosen output format. */
  protected print(p: Printable, opts: { noHeaders?: boolean } = {}): void {
    const format = this.outputFormat();
    const template = this.globals.template;
    const text = render(p, {
      format,
      template: format === "template" && template ? this.parseTemplate?.(template) : undefined,
      noHeaders: opts.noHeaders || this.globals["no-headers"],
      sortBy: this.globals["sort-by"],
      color: this.deps.io.color,
      now: this.deps.now(),
      jsonFields: this.globals.json,
      jq: this.jq && this.globals.jq !== undefined ? { program: this.globals.jq, run: this.jq } : undefined,
    });
    this.deps.io.stdout.write(text);
  }

  /** printItem prints one item through its view (a table row, or a single JSON/YAML object). */
  protected printItem<T>(view: View<T>, item: T): void {
    this.print({ view, items: [item], list: false });
  }

  /** printList prints items through their view (table rows, or a JSON/YAML list). */
  protected printList<T>(view: View<T>, items: T[]): void {
    this.print({ view, items, list: true });
  }

  /**
   * printStreamed prints one item of a stream as it arrives: table formats print the header before
   * the first item only, YAML separates the items as documents, JSON prints one object each.
   */
  protected printStreamed<T>(view: View<T>, item: T, first: boolean): void {
    if (!first && this.outputFormat() === "yaml") this.deps.io.stdout.write("---\n");
    this.print({ view, items: [item], list: false }, { noHeaders: !first });
  }

  /** note writes a human-facing line to stderr, keeping stdout parseable. */
  protected note(line: string): void {
    this.deps.io.err(line);
  }

  protected override async catch(err: Error & { exitCode?: number }): Promise<never> {
    if (err instanceof Errors.ExitError) throw err;
    const e = toCliError(err);
    if (e.exitCode === ExitCode.interrupted) this.exit(e.exitCode);
    const needed = await permissionNeeded(err);
    if (needed) e.hint = permissionHint(needed);
    // Parse errors arrive before the dependencies exist.
    const stderr = this.deps?.io.stderr ?? this.overrides().streams?.stderr ?? process.stderr;
    stderr.write(
      formatCliError(e, {
        json: this.globals?.output === "json",
        stack: this.globals?.debug ? err.stack : undefined,
      }),
    );
    this.exit(e.exitCode);
  }
}

/** withJsonValue lets `--json` stand alone (to list the fields): oclif needs a value, so it gets "". */
function withJsonValue(argv: string[]): string[] {
  const end = argv.indexOf("--");
  return argv.flatMap((arg, i) => {
    const last = end < 0 ? argv.length : end;
    const next = argv[i + 1];
    return arg === "--json" && i < last && (next === undefined || next.startsWith("-")) ? [arg, ""] : [arg];
  });
}
