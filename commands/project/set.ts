import { MetalCommand } from "../../src/cli/base-command.js";
import { completionsOf } from "../../src/cli/completion/source.js";
import { upsertContext } from "../../src/cli/config/store.js";
import { usageError } from "../../src/cli/errors.js";
import { quietFlags, refArg } from "../../src/cli/flags.js";
import { project } from "../../src/cli/resources/project.js";
import { notFound, pickItem, refNaming } from "../../src/cli/resources/resource.js";

/** ProjectSet stores the default project of the current context (picked interactively when omitted). */
export default class ProjectSet extends MetalCommand<typeof ProjectSet> {
  static override summary = "Set the default project of the current context (interactive pick when omitted).";
  static override baseFlags = quietFlags;
  static override args = { project: refArg(project, { description: "Project id or name.", optional: true }) };
  static override examples = ["<%= config.bin %> project set web", "<%= config.bin %> project set"];
  static override completion = completionsOf(this);

  async run(): Promise<void> {
    const { args } = this;
    const ctx = this.deps.target().context;
    if (!ctx)
      throw usageError(
        "no context to store the project in",
        "run `metalctl login` or `metalctl context add` first",
      );
    const projects = await project.list(this.deps, "", {});
    let id: string;
    if (args.project) {
      const naming = refNaming(project);
      const found = pickItem(projects, args.project, naming);
      if (!found) throw notFound("project", args.project, naming.listCommand);
      id = found.id;
    } else if (!this.deps.io.canPrompt) throw usageError("no project given", "pass the project id or name");
    else if (projects.length === 0)
      throw usageError("you have no projects yet", "ask a tenant owner to add you to one");
    else {
      id = await this.deps.prompter.pick(
        "Project",
        projects.map((p) => ({
          name: `${p.name} (${p.id})`,
          value: p.id,
          description: `tenant ${p.tenant}`,
        })),
      );
    }
    const config = this.deps.config();
    this.deps.saveConfig(upsertContext(config, { ...ctx, defaultProject: id }));
    const name = projects.find((p) => p.id === id)?.name;
    this.note(`Default project of context "${ctx.name}" is now ${name ? `${name} (${id})` : id}.`);
  }
}
