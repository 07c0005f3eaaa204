import { Flags } from "@oclif/core";
import { completeFrom, completionsOf } from "../../src/cli/completion/source.js";
import { requireFlags } from "../../src/cli/resources/common.js";
import { project, projectCreateRequest } from "../../src/cli/resources/project.js";
import { lookupId } from "../../src/cli/resources/resource.js";
import { tenant } from "../../src/cli/resources/tenant.js";
import { CreateCommand } from "../../src/cli/verbs/create.js";
import type { Project, ProjectServiceCreateRequest } from "../../src/gen/metalstack/api/v2/project_pb.js";

/** ProjectCreate creates a project in a tenant the caller owns or edits. */
export default class ProjectCreate extends CreateCommand<
  typeof ProjectCreate,
  Project,
  ProjectServiceCreateRequest
> {
  static override summary = "Create a project in a tenant you own or edit.";
  static override examples = ["<%= config.bin %> project create --tenant acme --name web"];
  static override flags = {
    tenant: Flags.string({
      summary: "Tenant the project belongs to (ID or name).",
      ...completeFrom(tenant.ref),
    }),
    name: Flags.string({ summary: "Name." }),
    description: Flags.string({ summary: "Description." }),
    labels: Flags.string({ summary: "Labels key=value.", multiple: true }),
  };
  static override completion = completionsOf(this);
  protected override readonly resource = project;

  protected override async request(): Promise<ProjectServiceCreateRequest> {
    const { flags } = this;
    requireFlags(
      (["tenant", "name"] as const).filter((f) => !flags[f]),
      "project create",
    );
    return projectCreateRequest(await lookupId(this.deps, tenant, "", flags.tenant!), flags);
  }

  protected override created(p: Project): string {
    return `Created project ${p.name} (${p.id}); select it with: metalctl project set ${p.id}`;
  }
}
