import { Args } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { requireProject } from "../../src/cli/config/target.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { matchProject, projectView } from "../../src/cli/resources/project.js";
import { type Project, ProjectService } from "../../src/gen/metalstack/api/v2/project_pb.js";

/** ProjectDescribe shows one project, the context's default project when none is named. */
export default class ProjectDescribe extends MetalCommand<Project> {
  static override summary = "Show a project (by id or name; default: the context's project).";
  static override args = { project: Args.string({ description: "Project id or name." }) };
  static override examples = [
    "<%= config.bin %> project describe",
    "<%= config.bin %> project describe web -o yaml",
  ];

  async run(): Promise<Project> {
    const { args } = await this.parse(ProjectDescribe);
    const client = this.deps.client(ProjectService);
    let id = args.project ?? requireProject(this.deps.target());
    if (args.project && !isUuid(args.project)) {
      id = matchProject((await client.list({})).projects, args.project).id;
    }
    const res = await client.get({ project: id });
    return res.project!;
  }

  protected override present(p: Project): Printable<Project> {
    return { view: projectView, items: [p], list: false };
  }
}

function isUuid(s: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
}
