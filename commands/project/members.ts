import { Flags } from "@oclif/core";
import { completionsOf } from "../../src/cli/completion/source.js";
import { refArg, yesFlag } from "../../src/cli/flags.js";
import { confirmDestructive } from "../../src/cli/resources/common.js";
import { project } from "../../src/cli/resources/project.js";
import { projectMemberView } from "../../src/cli/resources/project-members.js";
import { parseAssignments, parseProjectRole } from "../../src/cli/resources/roles.js";
import { ResourceCommand } from "../../src/cli/verbs/resource-command.js";
import {
  type Project,
  type ProjectMember,
  ProjectService,
} from "../../src/gen/metalstack/api/v2/project_pb.js";

/** ProjectMembers lists a project's members; owners can change roles (--set-role) and remove members. */
export default class ProjectMembers extends ResourceCommand<typeof ProjectMembers, Project> {
  static override summary = "List a project's members, change their roles or remove them.";
  static override args = { project: refArg(project) };
  static override examples = [
    "<%= config.bin %> project members 3f2a…",
    "<%= config.bin %> project members 3f2a… --set-role alice=editor --remove bob --yes",
  ];
  static override flags = {
    "set-role": Flags.string({ summary: "Give a member a role, USER=ROLE (repeatable).", multiple: true }),
    remove: Flags.string({ summary: "Remove a member (repeatable; asks unless --yes).", multiple: true }),
    ...yesFlag,
  };
  static override completion = completionsOf(this);
  protected override readonly resource = project;

  async run(): Promise<ProjectMember[]> {
    const { flags } = this;
    const client = this.deps.client(ProjectService);
    const roles = parseAssignments(flags["set-role"] ?? [], "--set-role", parseProjectRole);
    const id = await this.itemId();
    for (const [user, role] of Object.entries(roles)) {
      await client.memberUpdate({ project: id, user, role });
    }
    for (const user of flags.remove ?? []) {
      await confirmDestructive(this.deps, `remove ${user} from project ${id}`, flags.yes);
      await client.memberRemove({ project: id, user });
    }
    const { members } = await client.memberList({ project: id });
    this.printList(projectMemberView, members);
    return members;
  }
}
