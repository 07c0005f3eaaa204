import { completionsOf } from "../../src/cli/completion/source.js";
import { refArg, yesFlag } from "../../src/cli/flags.js";
import { confirmDestructive } from "../../src/cli/resources/common.js";
import { project } from "../../src/cli/resources/project.js";
import { ResourceCommand } from "../../src/cli/verbs/resource-command.js";
import { type Project, ProjectService } from "../../src/gen/metalstack/api/v2/project_pb.js";

/** ProjectLeave removes the caller from a project after a confirmation (or --yes). */
export default class ProjectLeave extends ResourceCommand<typeof ProjectLeave, Project> {
  static override summary = "Leave a project (asks unless --yes).";
  static override args = { project: refArg(project) };
  static override flags = { ...yesFlag };
  static override completion = completionsOf(this);
  protected override readonly resource = project;

  async run(): Promise<void> {
    const id = await this.itemId();
    await confirmDestructive(this.deps, `leave project ${id}`, this.flags.yes);
    await this.deps.client(ProjectService).leave({ project: id });
    this.note(`Left project ${id}.`);
  }
}
