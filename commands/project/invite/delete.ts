import { Args } from "@oclif/core";
import { completionsOf } from "../../../src/cli/completion/source.js";
import { quietFlags, refArg, yesFlag } from "../../../src/cli/flags.js";
import { confirmDestructive } from "../../../src/cli/resources/common.js";
import { project } from "../../../src/cli/resources/project.js";
import { ResourceCommand } from "../../../src/cli/verbs/resource-command.js";
import { type Project, ProjectService } from "../../../src/gen/metalstack/api/v2/project_pb.js";

/** ProjectInviteDelete withdraws an open invitation, so its secret no longer lets anyone join. */
export default class ProjectInviteDelete extends ResourceCommand<typeof ProjectInviteDelete, Project> {
  static override summary = "Withdraw a project's open invitation (asks unless --yes).";
  static override examples = ["<%= config.bin %> project invite delete web 3f2a…"];
  static override args = {
    project: refArg(project),
    invite: Args.string({ description: "Invitation ID (see project invite list).", required: true }),
  };
  static override baseFlags = quietFlags;
  static override flags = yesFlag;
  static override completion = completionsOf(this);
  protected override readonly resource = project;

  async run(): Promise<void> {
    const id = await this.itemId();
    await confirmDestructive(
      this.deps,
      `withdraw invitation ${this.args.invite} to project ${id}`,
      this.flags.yes,
    );
    await this.deps.client(ProjectService).inviteDelete({ project: id, id: this.args.invite });
    this.note(`Withdrew invitation ${this.args.invite}.`);
  }
}
