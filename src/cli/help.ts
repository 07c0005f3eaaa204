import { type Command, Help } from "@oclif/core";
import { exitCodeHelp } from "./errors.js";

/** MetalHelp is oclif's help plus the exit codes and the template functions on the root page (`metalctl --help`). */
export default class MetalHelp extends Help {
  /** The template functions, loaded with the template engine only for the root page. */
  private templateFunctions: readonly string[] = [];

  protected override async showRootHelp(): Promise<void> {
    ({ templateFunctions: this.templateFunctions } = await import("./output/template.js"));
    await super.showRootHelp();
  }

  protected override formatRoot(): string {
    const exitCodes = exitCodeHelp
      .split("\n")
      .map((l) => `  ${l.replace(/^\d+/, (code) => code.padStart(3))}`)
      .join("\n");
    const templates = [
      "  -o template --template '{{ .id }} {{ index .meta.labels \"a/b\" }}' follows Go's text/template:",
      "  variables, pipelines, if/with/range with else and else if, {{- -}} trimming. Functions:",
      `  ${this.templateFunctions.join(", ")}.`,
    ].join("\n");
    return `${super.formatRoot()}\n\nEXIT CODES\n${exitCodes}\n\nTEMPLATES\n${templates}`;
  }

  /** formatCommands lists each command once: an alias is left out where its command is listed too. */
  protected override formatCommands(commands: Command.Loadable[]): string {
    const norm = (id: string) => id.replaceAll(":", " ");
    const isAlias = (c: Command.Loadable) => c.aliases.map(norm).includes(norm(c.id));
    const listed = new Set(commands.filter((c) => !isAlias(c)).flatMap((c) => c.aliases.map(norm)));
    return super.formatCommands(commands.filter((c) => !(isAlias(c) && listed.has(norm(c.id)))));
  }
}
