import { Command, loadHelpClass } from "@oclif/core";
import { completionsOf } from "../src/cli/completion/source.js";

/** Help shows the help of a command or topic: `metalctl help machine list` is `metalctl machine list --help`. */
export default class HelpCommand extends Command {
  static override summary = "Show help for a command or topic, e.g. `metalctl help machine list`.";
  static override strict = false;
  static override args = {};
  static override examples = ["<%= config.bin %> help machine list", "<%= config.bin %> help machine"];
  static completion = completionsOf(this);

  async run(): Promise<void> {
    const Help = await loadHelpClass(this.config);
    await new Help(this.config, this.config.pjson.oclif.helpOptions ?? {}).showHelp(this.argv);
  }
}
