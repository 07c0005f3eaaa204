import { Args } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { confirmDestructive, yesFlag } from "../../src/cli/resources/common.js";
import { ProjectService } from "../../src/gen/metalstack/api/v2/project_pb.js";

/** ProjectLeave removes the caller from a project after a confirmation (or --yes). */
export default class ProjectLeave extends MetalCommand<void> {
  static override summary = "Leave a project (asks unless --yes).";
  static override args = { project: Args.string({ description: "Project ID.", required: true }) };
  static override flags = { ...yesFlag };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ProjectLeave);
    await confirmDestructive(this.deps, `leave project ${args.project}`, flags.yes);
    await this.deps.client(ProjectService).leave({ project: args.project });
    this.note(`Left project ${args.project}.`);
  }
}
