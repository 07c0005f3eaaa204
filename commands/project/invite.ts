import { completionsOf } from "../../src/cli/completion/source.js";
import { parseDuration } from "../../src/cli/duration.js";
import { inviteFlags, refArg } from "../../src/cli/flags.js";
import { project } from "../../src/cli/resources/project.js";
import { projectInviteJson, projectInviteRequest } from "../../src/cli/resources/project-members.js";
import { inviteDetail } from "../../src/cli/resources/tenant.js";
import { ResourceCommand } from "../../src/cli/verbs/resource-command.js";
import { type Project, ProjectService } from "../../src/gen/metalstack/api/v2/project_pb.js";

/** ProjectInvite creates an invitation secret that lets someone join the project with a role. */
export default class ProjectInvite extends ResourceCommand<typeof ProjectInvite, Project> {
  static override summary = "Invite someone to a project: prints a one-time secret.";
  static override args = { project: refArg(project) };
  static override flags = inviteFlags;
  static override completion = completionsOf(this);
  protected override readonly resource = project;

  async run(): Promise<void> {
    const { flags } = this;
    const req = projectInviteRequest(
      await this.itemId(),
      flags.role,
      parseDuration(flags.expires, "--expires"),
      this.deps.now(),
    );
    const res = await this.deps.client(ProjectService).invite(req);
    this.print(inviteDetail("project", projectInviteJson(res.invite!), res.secret));
  }
}
