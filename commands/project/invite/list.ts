import { completionsOf } from "../../../src/cli/completion/source.js";
import { refArg } from "../../../src/cli/flags.js";
import { project } from "../../../src/cli/resources/project.js";
import { projectInviteView } from "../../../src/cli/resources/project-members.js";
import { ResourceCommand } from "../../../src/cli/verbs/resource-command.js";
import {
  type Project,
  type ProjectInvite,
  ProjectService,
} from "../../../src/gen/metalstack/api/v2/project_pb.js";

/** ProjectInviteList lists a project's open invitations (owners only); secrets are never shown again. */
export default class ProjectInviteList extends ResourceCommand<typeof ProjectInviteList, Project> {
  static override summary = "List a project's open invitations.";
  static override examples = ["<%= config.bin %> project invite list web"];
  static override args = { project: refArg(project) };
  static override completion = completionsOf(this);
  protected override readonly resource = project;

  async run(): Promise<ProjectInvite[]> {
    const { invites } = await this.deps.client(ProjectService).inviteList({ project: await this.itemId() });
    this.printList(projectInviteView, invites);
    return invites;
  }
}
