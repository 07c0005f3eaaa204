import { Flags } from "@oclif/core";
import { MetalCommand } from "../../../src/cli/base-command.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { projectView } from "../../../src/cli/resources/project.js";
import { ProjectService } from "../../../src/gen/metalstack/admin/v2/project_pb.js";
import type { Project } from "../../../src/gen/metalstack/api/v2/project_pb.js";

/** AdminProjectList lists every project of all projects and tenants (operators). */
export default class AdminProjectList extends MetalCommand<Project[]> {
  static override summary = "List all projects (operators).";
  static override aliases = ["admin project ls"];
  static override flags = {
    tenant: Flags.string({ summary: "Only projects of this tenant." }),
  };

  async run(): Promise<Project[]> {
    const { flags } = await this.parse(AdminProjectList);
    const client = this.deps.client(ProjectService);
    const items: Project[] = [];
    let pageToken = "";
    do {
      const res = await client.list({
        ...{ ...(flags.tenant ? { tenant: flags.tenant } : {}) },
        paging: { pageToken },
      });
      items.push(...res.projects);
      pageToken = res.nextPageToken;
    } while (pageToken);
    return items;
  }

  protected override present(items: Project[]): Printable<Project> {
    return { view: projectView, items, list: true };
  }
}
