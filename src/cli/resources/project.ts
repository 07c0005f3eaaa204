import { toJson } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { ProjectService as AdminProjectService } from "../../gen/metalstack/admin/v2/project_pb.js";
import type { Project } from "../../gen/metalstack/api/v2/project_pb.js";
import {
  ProjectSchema,
  ProjectService,
  ProjectServiceUpdateRequestSchema,
} from "../../gen/metalstack/api/v2/project_pb.js";
import { allPages } from "../api/paging.js";
import type { View } from "../output/printer.js";
import { age } from "../output/time.js";
import { completionOf, type Edits, type Lists } from "./resource.js";

const created = (p: Project) => (p.meta?.createdAt ? timestampDate(p.meta.createdAt) : undefined);

/** projectView shows projects: id, name, tenant, description, age; wide adds labels. */
export const projectView: View<Project> = {
  columns: [
    { header: "ID", value: (p) => p.id },
    { header: "Name", value: (p) => p.name },
    { header: "Tenant", value: (p) => p.tenant },
    { header: "Description", value: (p) => p.description },
    { header: "Age", value: (p, now) => age(created(p), now), sortKey: (p) => created(p)?.getTime() ?? 0 },
    {
      header: "Labels",
      value: (p) =>
        Object.entries(p.meta?.labels ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(","),
      wide: true,
    },
  ],
  toJson: (p) => toJson(ProjectSchema, p),
};

/** ProjectListInput are the filters of `project list`. */
export interface ProjectListInput {
  tenant?: string | undefined;
  name?: string | undefined;
}

const listProjects = async (deps: Parameters<Lists<Project>["list"]>[0], query: ProjectListInput) =>
  (
    await deps.client(ProjectService).list({
      ...(query.tenant ? { tenant: query.tenant } : {}),
      ...(query.name ? { name: query.name } : {}),
    })
  ).projects;

/**
 * project is the projects the caller can use, named by ID or by a name that is unique among them;
 * their name, description and labels change.
 */
export const project: Lists<Project, ProjectListInput> &
  Edits<Project, typeof ProjectServiceUpdateRequestSchema> = {
  scope: "server",
  noun: "project",
  view: projectView,
  editShape: (_project, id) => ({ request: ProjectServiceUpdateRequestSchema, identity: { project: id } }),
  ref: {
    kind: "project",
    scope: "server",
    arg: "project",
    description: "Project ID.",
    candidate: (p) => ({ value: p.id, description: p.name }),
    names: (p) => [p.name],
    detail: (p) => `tenant ${p.tenant}`,
  },
  list: (deps, _project, query) => listProjects(deps, query),
  get: async (deps, _project, id) => (await deps.client(ProjectService).get({ project: id })).project!,
  update: async (deps, req) => (await deps.client(ProjectService).update(req)).project!,
};

/** completion offers the IDs of the projects the caller can use. */
export const completion = completionOf(project);

/** adminProjects is every project of all tenants, as operators list them. */
export const adminProjects: Lists<Project, { tenant?: string }> = {
  scope: "server",
  noun: "project",
  view: projectView,
  list: (deps, _project, query) => {
    const client = deps.client(AdminProjectService);
    return allPages(
      (paging) => client.list({ ...(query.tenant ? { tenant: query.tenant } : {}), paging }),
      (res) => res.projects,
    );
  },
};
