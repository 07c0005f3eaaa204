import { create, toJson } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { ProjectService as AdminProjectService } from "../../gen/metalstack/admin/v2/project_pb.js";
import type { Project } from "../../gen/metalstack/api/v2/project_pb.js";
import {
  ProjectSchema,
  ProjectService,
  type ProjectServiceCreateRequest,
  ProjectServiceCreateRequestSchema,
  type ProjectServiceUpdateRequest,
  ProjectServiceUpdateRequestSchema,
} from "../../gen/metalstack/api/v2/project_pb.js";
import { allPages } from "../api/paging.js";
import type { Deps } from "../deps.js";
import type { View } from "../output/printer.js";
import { age } from "../output/time.js";
import { parseLabels, splitList } from "./common.js";
import { orGranted } from "./granted.js";
import { type Creates, completionOf, type Deletes, type Edits, type Lists } from "./resource.js";

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

/**
 * listProjects lists the projects the caller can use; for an API token without a grant of
 * ProjectService/List they are the projects it holds a role on, filtered here as the server would.
 */
const listProjects = async (deps: Deps, query: ProjectListInput) => {
  const client = deps.client(ProjectService);
  const matches = (p: Project) =>
    (!query.tenant || p.tenant === query.tenant) && (!query.name || p.name === query.name);
  const granted = await orGranted(
    deps,
    async () =>
      (
        await client.list({
          ...(query.tenant ? { tenant: query.tenant } : {}),
          ...(query.name ? { name: query.name } : {}),
        })
      ).projects,
    (record) => Object.keys(record.projectRoles),
    async (id) => (await client.get({ project: id })).project!,
  );
  return granted.filter(matches);
};

/** ProjectInput are the fields of `project create|update`. */
export interface ProjectInput {
  name?: string | undefined;
  description?: string | undefined;
  labels?: string[] | undefined;
  removeLabels?: string[] | undefined;
}

/** projectCreateRequest builds the request for a project of the tenant (pure). */
export function projectCreateRequest(tenant: string, input: ProjectInput): ProjectServiceCreateRequest {
  return create(ProjectServiceCreateRequestSchema, {
    tenant,
    name: input.name ?? "",
    description: input.description ?? "",
    labels: parseLabels(input.labels),
  });
}

/** projectUpdateRequest builds the update request; unset fields stay unchanged (pure). */
export function projectUpdateRequest(project: string, input: ProjectInput): ProjectServiceUpdateRequest {
  return create(ProjectServiceUpdateRequestSchema, {
    project,
    updateMeta: { generation: 0n },
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    labels: { update: parseLabels(input.labels), remove: splitList(input.removeLabels) },
  });
}

/**
 * project is the projects the caller can use, named by ID or by a name that is unique among them;
 * tenant owners and editors create them, their name, description and labels change, owners delete them.
 */
export const project: Lists<Project, ProjectListInput> &
  Creates<Project, ProjectServiceCreateRequest> &
  Edits<Project, typeof ProjectServiceUpdateRequestSchema> &
  Deletes<Project> = {
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
  create: async (deps, req) => (await deps.client(ProjectService).create(req)).project!,
  update: async (deps, req) => (await deps.client(ProjectService).update(req)).project!,
  delete: async (deps, _project, id) => (await deps.client(ProjectService).delete({ project: id })).project!,
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
