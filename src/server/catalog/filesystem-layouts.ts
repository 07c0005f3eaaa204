import { create, fromJson, type JsonValue, toJson } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { UpdateLabels, UpdateMeta } from "../../gen/metalstack/api/v2/common_pb.js";
import {
  type Disk,
  DiskSchema,
  type Filesystem,
  FilesystemFormat,
  type FilesystemLayout,
  type FilesystemLayoutConstraints,
  FilesystemLayoutConstraintsSchema,
  FilesystemLayoutSchema,
  FilesystemSchema,
} from "../../gen/metalstack/api/v2/filesystem_pb.js";
import { checkLabels } from "../labels.js";
import type { FilesystemLayoutRow } from "../store/catalog-schema.js";
import { getImageForProject } from "./images.js";
import {
  checkId,
  checkText,
  insertProjectRow,
  metaOf,
  ownProjectRow,
  projectRow,
  type Tx,
  updateProjectRow,
} from "./resource-meta.js";
import { getSize } from "./sizes.js";
import { versionMatches } from "./versions.js";

/** filesystemLayoutOf turns a stored layout into the API message. */
function filesystemLayoutOf(row: FilesystemLayoutRow): FilesystemLayout {
  return create(FilesystemLayoutSchema, {
    id: row.id,
    project: row.project,
    name: row.name,
    description: row.description,
    meta: metaOf(row),
    filesystems: (JSON.parse(row.filesystems) as JsonValue[]).map((f) => fromJson(FilesystemSchema, f)),
    disks: (JSON.parse(row.disks) as JsonValue[]).map((d) => fromJson(DiskSchema, d)),
    constraints: fromJson(FilesystemLayoutConstraintsSchema, JSON.parse(row.constraints) as JsonValue),
  });
}

function filesystemsJson(filesystems: Filesystem[]): string {
  const paths = new Set<string>();
  for (const [i, f] of filesystems.entries()) {
    if (!f.device.startsWith("/dev/") && f.format !== FilesystemFormat.TMPFS) {
      throw new ConnectError(
        `filesystems[${i}].device: "${f.device}" must start with /dev/`,
        Code.InvalidArgument,
      );
    }
    if (f.format === FilesystemFormat.UNSPECIFIED || !(f.format in FilesystemFormat)) {
      throw new ConnectError(
        `filesystems[${i}].format: required (ext4, xfs, vfat, swap, tmpfs or none)`,
        Code.InvalidArgument,
      );
    }
    if (f.path) {
      if (!f.path.startsWith("/")) {
        throw new ConnectError(`filesystems[${i}].path: "${f.path}" must be absolute`, Code.InvalidArgument);
      }
      if (paths.has(f.path)) {
        throw new ConnectError(`filesystems[${i}].path: "${f.path}" is mounted twice`, Code.InvalidArgument);
      }
      paths.add(f.path);
    }
  }
  return JSON.stringify(filesystems.map((f) => toJson(FilesystemSchema, f)));
}

function disksJson(disks: Disk[]): string {
  const devices = new Set<string>();
  for (const [i, d] of disks.entries()) {
    if (!d.device.startsWith("/dev/")) {
      throw new ConnectError(`disks[${i}].device: "${d.device}" must start with /dev/`, Code.InvalidArgument);
    }
    if (devices.has(d.device)) {
      throw new ConnectError(`disks[${i}].device: "${d.device}" appears twice`, Code.InvalidArgument);
    }
    devices.add(d.device);
    const numbers = new Set<number>();
    for (const [j, p] of d.partitions.entries()) {
      if (p.number === 0 || numbers.has(p.number)) {
        throw new ConnectError(
          `disks[${i}].partitions[${j}].number: must be unique on the disk and start at 1`,
          Code.InvalidArgument,
        );
      }
      numbers.add(p.number);
    }
  }
  return JSON.stringify(disks.map((d) => toJson(DiskSchema, d)));
}

function constraintsJson(c: FilesystemLayoutConstraints | undefined): string {
  return JSON.stringify(
    toJson(FilesystemLayoutConstraintsSchema, c ?? create(FilesystemLayoutConstraintsSchema)),
  );
}

/**
 * getFilesystemLayoutForProject returns a layout the project may use: its own or a global one (its
 * own wins). Other projects' layouts are NotFound.
 */
export async function getFilesystemLayoutForProject(
  trx: Tx,
  project: string,
  id: string,
): Promise<FilesystemLayout> {
  return filesystemLayoutOf(await projectRow(trx, "filesystem_layouts", "filesystem layout", project, id));
}

/** listFilesystemLayoutsForProject returns the global layouts and the project's own, ordered by id. */
export async function listFilesystemLayoutsForProject(trx: Tx, project: string): Promise<FilesystemLayout[]> {
  const rows = await trx
    .selectFrom("filesystem_layouts")
    .selectAll()
    .where("project", "in", [project, ""])
    .orderBy("id")
    .orderBy("project")
    .execute();
  return rows.map(filesystemLayoutOf);
}

/** listFilesystemLayouts returns all layouts, or one project's ("" for global ones) (operators). */
export async function listFilesystemLayouts(trx: Tx, project?: string): Promise<FilesystemLayout[]> {
  let q = trx.selectFrom("filesystem_layouts").selectAll();
  if (project !== undefined) q = q.where("project", "=", project);
  const rows = await q.orderBy("id").orderBy("project").execute();
  return rows.map(filesystemLayoutOf);
}

/** sizeSpecificity scores how a layout's size list accepts a size: -1 not, 0 any, 1 by prefix, 2 by name. */
function sizeSpecificity(sizes: string[], size: string): number {
  let best = sizes.length === 0 ? 0 : -1;
  for (const s of sizes) {
    if (s === size) best = Math.max(best, 2);
    else if (s === "*") best = Math.max(best, 0);
    else if (s.endsWith("*") && size.startsWith(s.slice(0, -1))) best = Math.max(best, 1);
  }
  return best;
}

/**
 * matchFilesystemLayout returns the layout for a size and an image as seen by a project: among the
 * layouts whose constraints accept both, the project's own come before global ones, then the most
 * specific (size named exactly > size prefix > any size; image constraint > none), then by id.
 * NotFound names the size and image when none fits; unknown size or image are NotFound too.
 */
export async function matchFilesystemLayout(
  trx: Tx,
  project: string,
  sizeId: string,
  imageId: string,
): Promise<FilesystemLayout> {
  await getSize(trx, sizeId);
  const image = await getImageForProject(trx, project, imageId);
  const rows = await trx
    .selectFrom("filesystem_layouts")
    .selectAll()
    .where("project", "in", project ? [project, ""] : [""])
    .execute();
  const candidates: { layout: FilesystemLayout; own: number; score: number }[] = [];
  for (const row of rows) {
    const layout = filesystemLayoutOf(row);
    const c = layout.constraints;
    const sizeScore = sizeSpecificity(c?.sizes ?? [], sizeId);
    if (sizeScore < 0) continue;
    const images = Object.entries(c?.images ?? {});
    if (images.length > 0 && !images.some(([os, v]) => os === image.os && versionMatches(image.version, v)))
      continue;
    candidates.push({ layout, own: row.project ? 1 : 0, score: sizeScore * 2 + (images.length > 0 ? 1 : 0) });
  }
  candidates.sort((a, b) => b.own - a.own || b.score - a.score || a.layout.id.localeCompare(b.layout.id));
  const best = candidates[0];
  if (!best) {
    throw new ConnectError(
      `no filesystem layout fits size "${sizeId}" and image "${imageId}"; ask an operator or create one for your project`,
      Code.NotFound,
    );
  }
  return best.layout;
}

/** FilesystemLayoutInput describes a new layout. */
export interface FilesystemLayoutInput {
  id: string;
  name: string;
  description: string;
  filesystems: Filesystem[];
  disks: Disk[];
  constraints?: FilesystemLayoutConstraints;
  labels: Record<string, string>;
}

/**
 * createFilesystemLayout adds a layout owned by `project`, or a global one when `project` is ""
 * (operators). Ids are one namespace per project together with the global ones.
 */
export async function createFilesystemLayout(
  trx: Tx,
  project: string,
  input: FilesystemLayoutInput,
  now = new Date(),
): Promise<FilesystemLayout> {
  checkId(input.id);
  // A project's ids and the global ids form one namespace, so a reference never becomes ambiguous.
  const clash = await trx
    .selectFrom("filesystem_layouts")
    .select("project")
    .where("id", "=", input.id)
    .$if(project !== "", (q) => q.where("project", "=", ""))
    .executeTakeFirst();
  if (clash) {
    throw new ConnectError(
      `filesystem layout "${input.id}" already exists${clash.project ? ` in project "${clash.project}"` : " as a global layout"}; pick another id`,
      Code.AlreadyExists,
    );
  }
  const ts = now.toISOString();
  const row: FilesystemLayoutRow = {
    project,
    id: input.id,
    name: checkText(input.name, "name", 128),
    description: checkText(input.description, "description"),
    filesystems: filesystemsJson(input.filesystems),
    disks: disksJson(input.disks),
    constraints: constraintsJson(input.constraints),
    labels: JSON.stringify(checkLabels(input.labels)),
    generation: 1,
    created_at: ts,
    updated_at: ts,
  };
  await insertProjectRow(trx, "filesystem_layouts", "filesystem layout", row);
  return filesystemLayoutOf(row);
}

/** FilesystemLayoutUpdate lists the changes to a layout; unset fields (and empty lists) stay. */
export interface FilesystemLayoutUpdate {
  updateMeta?: UpdateMeta;
  name?: string;
  description?: string;
  filesystems?: Filesystem[];
  disks?: Disk[];
  constraints?: FilesystemLayoutConstraints;
  labels?: UpdateLabels;
}

/**
 * updateFilesystemLayout changes a layout owned by `project` ("" for a global one, operators); a
 * project naming a global layout gets PermissionDenied.
 */
export async function updateFilesystemLayout(
  trx: Tx,
  project: string,
  id: string,
  u: FilesystemLayoutUpdate,
  now = new Date(),
): Promise<FilesystemLayout> {
  const next = await updateProjectRow(
    trx,
    "filesystem_layouts",
    "filesystem layout",
    project,
    id,
    u,
    (row) => ({
      name: u.name !== undefined ? checkText(u.name, "name", 128) : row.name,
      description: u.description !== undefined ? checkText(u.description, "description") : row.description,
      filesystems:
        u.filesystems && u.filesystems.length > 0 ? filesystemsJson(u.filesystems) : row.filesystems,
      disks: u.disks && u.disks.length > 0 ? disksJson(u.disks) : row.disks,
      constraints: u.constraints ? constraintsJson(u.constraints) : row.constraints,
    }),
    now,
  );
  return filesystemLayoutOf(next);
}

/** deleteFilesystemLayout removes a layout owned by `project` ("" for a global one, operators). */
export async function deleteFilesystemLayout(
  trx: Tx,
  project: string,
  id: string,
): Promise<FilesystemLayout> {
  const row = await ownProjectRow(trx, "filesystem_layouts", "filesystem layout", project, id, "delete");
  await trx.deleteFrom("filesystem_layouts").where("project", "=", project).where("id", "=", id).execute();
  return filesystemLayoutOf(row);
}
