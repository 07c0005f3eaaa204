import { Flags } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { projectView } from "../../src/cli/resources/project.js";
import { type Project, ProjectService } from "../../src/gen/metalstack/api/v2/project_pb.js";

/** ProjectList lists the projects the caller can use. */
export default class ProjectList extends MetalCommand<Project[]> {
  static override summary = "List the projects you can use.";
  static override flags = {
    tenant: Flags.string({ summary: "Only projects of this tenant." }),
    name: Flags.string({ summary: "Only projects with this name." }),
  };
  static override examples = [
    "<%= config.bin %> project list",
    "<%= config.bin %> project list -o wide --sort-by name",
  ];

  async run(): Promise<Project[]> {
    const { flags } = await this.parse(ProjectList);
    const res = await this.deps.client(ProjectService).list({
      ...(flags.tenant ? { tenant: flags.tenant } : {}),
      ...(flags.name ? { name: flags.name } : {}),
    });
    return res.projects;
  }

  protected override present(projects: Project[]): Printable<Project> {
    return { view: projectView, items: projects, list: true };
  }
}
