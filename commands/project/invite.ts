import { Args } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { parseDuration } from "../../src/cli/duration.js";
import { inviteFlags } from "../../src/cli/flags.js";
import type { Detail } from "../../src/cli/output/printer.js";
import { projectInviteJson, projectInviteRequest } from "../../src/cli/resources/project-members.js";
import { inviteDetail } from "../../src/cli/resources/tenant.js";
import { ProjectService } from "../../src/gen/metalstack/api/v2/project_pb.js";

/** ProjectInvite creates an invitation secret that lets someone join the project with a role. */
export default class ProjectInvite extends MetalCommand<Detail> {
  static override summary = "Invite someone to a project: prints a one-time secret.";
  static override args = { project: Args.string({ description: "Project ID.", required: true }) };
  static override flags = inviteFlags;

  async run(): Promise<Detail> {
    const { args, flags } = await this.parse(ProjectInvite);
    const req = projectInviteRequest(
      args.project,
      flags.role,
      parseDuration(flags.expires, "--expires"),
      this.deps.now(),
    );
    const res = await this.deps.client(ProjectService).invite(req);
    return inviteDetail("project", projectInviteJson(res.invite!), res.secret);
  }

  protected override present(d: Detail): Detail {
    return d;
  }
}
