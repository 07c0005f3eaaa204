import {
  FilesystemService as AdminFilesystemService,
  FilesystemServiceCreateRequestSchema,
  FilesystemServiceUpdateRequestSchema,
} from "../../gen/metalstack/admin/v2/filesystem_pb.js";
import {
  type FilesystemLayout,
  FilesystemLayoutSchema,
  FilesystemService,
} from "../../gen/metalstack/api/v2/filesystem_pb.js";
import { CliError, ExitCode } from "../errors.js";
import { protoView, showLabels } from "./common.js";
import { type Applies, completionOf, type Deletes, type Gets, type Lists, type Ref } from "./resource.js";

/** filesystemView shows filesystem layouts: mount points and the sizes and images they apply to. */
export const filesystemView = protoView(FilesystemLayoutSchema, [
  { header: "ID", value: (f: FilesystemLayout) => f.id },
  { header: "Name", value: (f: FilesystemLayout) => f.name },
  {
    header: "Filesystems",
    value: (f: FilesystemLayout) =>
      f.filesystems
        .map((fs) => fs.path)
        .filter(Boolean)
        .join(","),
  },
  { header: "Sizes", value: (f: FilesystemLayout) => (f.constraints?.sizes ?? []).join(",") },
  {
    header: "Images",
    value: (f: FilesystemLayout) =>
      Object.entries(f.constraints?.images ?? {})
        .map(([os, v]) => `${os} ${v}`)
        .join(","),
  },
  {
    header: "Project",
    value: (f: FilesystemLayout) => f.project,
    wide: true,
    names: { kind: "project", scope: "server" },
  },
  { header: "Description", value: (f: FilesystemLayout) => f.description, wide: true },
  { header: "Labels", value: (f: FilesystemLayout) => showLabels(f.meta?.labels), wide: true },
]);

const ref: Ref<FilesystemLayout> = {
  kind: "filesystem",
  scope: "project",
  arg: "id",
  description: "ID.",
  candidate: (f) => ({ value: f.id, description: f.name }),
  names: (f) => [f.name],
};

/** filesystem is the filesystem layouts a project may use: its own and the global ones. */
export const filesystem: Lists<FilesystemLayout> & Gets<FilesystemLayout> & { ref: Ref<FilesystemLayout> } = {
  scope: "project",
  noun: "filesystem",
  view: filesystemView,
  ref,
  list: async (deps, project) => (await deps.client(FilesystemService).list({ project })).filesystemLayouts,
  get: async (deps, project, id) =>
    (await deps.client(FilesystemService).get({ project, id })).filesystemLayout!,
};

/** completion offers the IDs of the filesystem layouts the project may use. */
export const completion = completionOf(filesystem);

/** adminFilesystems is every filesystem layout of all projects plus the global ones, as operators list them. */
export const adminFilesystems: Lists<FilesystemLayout, { project?: string }> = {
  scope: "server",
  noun: "filesystem",
  view: filesystemView,
  list: async (deps, _project, query) =>
    (await deps.client(AdminFilesystemService).list({ ...(query.project ? { project: query.project } : {}) }))
      .filesystemLayouts,
};

/**
 * adminFilesystem is a global filesystem layout as operators create, change and delete it; operators
 * read one from the list of all layouts, as there is no admin Get.
 */
export const adminFilesystem: Deletes<FilesystemLayout> &
  Applies<
    FilesystemLayout,
    typeof FilesystemServiceUpdateRequestSchema,
    typeof FilesystemServiceCreateRequestSchema
  > = {
  scope: "server",
  noun: "filesystem",
  view: filesystemView,
  ref,
  get: async (deps, _project, id) => {
    const found = (await adminFilesystems.list(deps, "", {})).find((f) => f.id === id);
    if (!found) throw new CliError(`filesystem ${id} not found`, ExitCode.notFound);
    return found;
  },
  update: async (deps, req) => (await deps.client(AdminFilesystemService).update(req)).filesystemLayout!,
  editShape: (_project, id) => ({ request: FilesystemServiceUpdateRequestSchema, identity: { id } }),
  apply: {
    kind: "filesystem",
    schema: FilesystemLayoutSchema,
    idPath: "id",
    namePath: "name",
    createShape: () => ({ request: FilesystemServiceCreateRequestSchema, identity: {} }),
  },
  create: async (deps, req) => (await deps.client(AdminFilesystemService).create(req)).filesystemLayout!,
  delete: async (deps, _project, id) =>
    (await deps.client(AdminFilesystemService).delete({ id })).filesystemLayout!,
};
