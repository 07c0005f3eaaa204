import { completionsOf } from "../../src/cli/completion/source.js";
import { refArg } from "../../src/cli/flags.js";
import { project } from "../../src/cli/resources/project.js";
import { describeCommand } from "../../src/cli/verbs/describe.js";

/** ProjectDescribe shows one project, the context's default project when none is named. */
export default class ProjectDescribe extends describeCommand(project, {
  summary: "Show a project (by id or name; default: the context's project).",
  examples: ["<%= config.bin %> project describe", "<%= config.bin %> project describe web -o yaml"],
}) {
  static override args = { project: refArg(project, { description: "Project id or name.", optional: true }) };
  static override completion = completionsOf(this);

  protected override itemId(): Promise<string> {
    return this.args.project ? super.itemId() : this.project();
  }
}
