import { Flags } from "@oclif/core";
import { completionsOf } from "../../src/cli/completion/source.js";
import { refArg } from "../../src/cli/flags.js";
import { project, projectUpdateRequest } from "../../src/cli/resources/project.js";
import { UpdateCommand } from "../../src/cli/verbs/update.js";
import type { Project, ProjectServiceUpdateRequest } from "../../src/gen/metalstack/api/v2/project_pb.js";

/** ProjectUpdate changes a project's name, description or labels. */
export default class ProjectUpdate extends UpdateCommand<
  typeof ProjectUpdate,
  Project,
  ProjectServiceUpdateRequest
> {
  static override summary = "Change a project.";
  static override examples = [
    "<%= config.bin %> project update web --description 'Web shop' --labels env=prod",
  ];
  static override args = { project: refArg(project) };
  static override flags = {
    name: Flags.string({ summary: "New name." }),
    description: Flags.string({ summary: "New description." }),
    labels: Flags.string({ summary: "Labels to set, key=value.", multiple: true }),
    "remove-labels": Flags.string({ summary: "Label keys to remove.", multiple: true }),
  };
  static override completion = completionsOf(this);
  protected override readonly resource = project;

  protected override async request(): Promise<ProjectServiceUpdateRequest> {
    return projectUpdateRequest(await this.itemId(), {
      ...this.flags,
      removeLabels: this.flags["remove-labels"],
    });
  }
}
