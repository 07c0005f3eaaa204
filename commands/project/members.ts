import { Args, Flags } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { confirmDestructive, yesFlag } from "../../src/cli/resources/common.js";
import { projectMemberView } from "../../src/cli/resources/project-members.js";
import { parseAssignments, parseProjectRole } from "../../src/cli/resources/roles.js";
import { type ProjectMember, ProjectService } from "../../src/gen/metalstack/api/v2/project_pb.js";

/** ProjectMembers lists a project's members; owners can change roles (--set-role) and remove members. */
export default class ProjectMembers extends MetalCommand<ProjectMember[]> {
  static override summary = "List a project's members, change their roles or remove them.";
  static override args = { project: Args.string({ description: "Project ID.", required: true }) };
  static override examples = [
    "<%= config.bin %> project members 3f2a…",
    "<%= config.bin %> project members 3f2a… --set-role alice=editor --remove bob --yes",
  ];
  static override flags = {
    "set-role": Flags.string({ summary: "Give a member a role, USER=ROLE (repeatable).", multiple: true }),
    remove: Flags.string({ summary: "Remove a member (repeatable; asks unless --yes).", multiple: true }),
    ...yesFlag,
  };

  async run(): Promise<ProjectMember[]> {
    const { args, flags } = await this.parse(ProjectMembers);
    const client = this.deps.client(ProjectService);
    const roles = parseAssignments(flags["set-role"] ?? [], "--set-role", parseProjectRole);
    for (const [user, role] of Object.entries(roles)) {
      await client.memberUpdate({ project: args.project, user, role });
    }
    for (const user of flags.remove ?? []) {
      await confirmDestructive(this.deps, `remove ${user} from project ${args.project}`, flags.yes);
      await client.memberRemove({ project: args.project, user });
    }
    return (await client.memberList({ project: args.project })).members;
  }

  protected override present(items: ProjectMember[]): Printable<ProjectMember> {
    return { view: projectMemberView, items, list: true };
  }
}
