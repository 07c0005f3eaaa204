import { create } from "@bufbuild/protobuf";
import { type Timestamp, timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import type { UpdateLabels, UpdateMeta } from "../../gen/metalstack/api/v2/common_pb.js";
import {
  type Image,
  ImageClassification,
  ImageFeature,
  ImageSchema,
} from "../../gen/metalstack/api/v2/image_pb.js";
import { checkLabels } from "../labels.js";
import type { ImageRow } from "../store/catalog-schema.js";
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
import { compareVersions, splitOsVersion } from "./versions.js";

/** imageOf turns a stored image into the API message. */
function imageOf(row: ImageRow): Image {
  return create(ImageSchema, {
    id: row.id,
    project: row.project,
    name: row.name,
    description: row.description,
    meta: metaOf(row),
    url: row.url,
    os: row.os,
    version: row.version,
    features: row.features.split(",").filter(Boolean).map(Number),
    classification: row.classification,
    expiresAt: row.expires_at ? timestampFromDate(new Date(row.expires_at)) : undefined,
  });
}

function featuresText(features: ImageFeature[]): string {
  const list = features.length === 0 ? [ImageFeature.MACHINE] : [...new Set(features)].sort();
  for (const f of list) {
    if (f !== ImageFeature.MACHINE && f !== ImageFeature.FIREWALL) {
      throw new ConnectError("features: must be machine and/or firewall", Code.InvalidArgument);
    }
  }
  return `,${list.join(",")},`;
}

function checkClassification(c: ImageClassification): ImageClassification {
  if (c === ImageClassification.UNSPECIFIED) return ImageClassification.PREVIEW;
  if (!(c in ImageClassification)) {
    throw new ConnectError("classification: must be preview, supported or deprecated", Code.InvalidArgument);
  }
  return c;
}

function checkUrl(url: string): string {
  if (!/^https?:\/\/\S+$/.test(url)) {
    throw new ConnectError(
      `url: "${url}" must be an http(s) URL the installer can download`,
      Code.InvalidArgument,
    );
  }
  return checkText(url, "url", 2048);
}

function sortImages(rows: ImageRow[]): ImageRow[] {
  return rows.sort(
    (a, b) =>
      a.os.localeCompare(b.os) || compareVersions(b.version, a.version) || a.project.localeCompare(b.project),
  );
}

/**
 * getImageForProject returns an image the project may use: its own or a global one (its own wins
 * when both have the id). Other projects' images are NotFound.
 */
export async function getImageForProject(trx: Tx, project: string, imageId: string): Promise<Image> {
  return imageOf(await projectRow(trx, "images", "image", project, imageId));
}

/** ImageFilter narrows image lists; unset fields do not filter. */
export interface ImageFilter {
  os?: string;
  /** Exact version or dotted prefix. */
  version?: string;
  feature?: ImageFeature;
}

function filtered(trx: Tx, projects: string[] | undefined, f: ImageFilter) {
  let q = trx.selectFrom("images").selectAll();
  if (projects) q = q.where("project", "in", projects);
  if (f.os !== undefined) q = q.where("os", "=", f.os);
  if (f.version !== undefined) {
    if (!/^[0-9a-z.]+$/.test(f.version)) {
      throw new ConnectError(
        `version: "${f.version}" must be a dotted version like 24.04`,
        Code.InvalidArgument,
      );
    }
    const v = f.version;
    q = q.where((eb) => eb.or([eb("version", "=", v), eb("version", "like", `${v}.%`)]));
  }
  if (f.feature !== undefined && f.feature !== ImageFeature.UNSPECIFIED)
    q = q.where("features", "like", `%,${Number(f.feature)},%`);
  return q;
}

/** listImagesForProject returns the global images and the project's own, filtered in SQL, newest first per os. */
export async function listImagesForProject(trx: Tx, project: string, f: ImageFilter = {}): Promise<Image[]> {
  return sortImages(await filtered(trx, [project, ""], f).execute()).map(imageOf);
}

/** listImages returns all images, or one project's ("" for global ones) when `project` is given (operators). */
export async function listImages(
  trx: Tx,
  project: string | undefined,
  f: ImageFilter = {},
): Promise<Image[]> {
  return sortImages(await filtered(trx, project === undefined ? undefined : [project], f).execute()).map(
    imageOf,
  );
}

/**
 * latestImage returns the project-visible image with the highest version for "<os>" or
 * "<os>-<version prefix>" (e.g. ubuntu-24.04), skipping expired images; NotFound when none matches.
 */
export async function latestImage(
  trx: Tx,
  project: string,
  osQuery: string,
  feature?: ImageFeature,
  now = new Date(),
): Promise<Image> {
  if (!osQuery) throw new ConnectError("os: required, e.g. ubuntu or ubuntu-24.04", Code.InvalidArgument);
  const split = splitOsVersion(osQuery);
  const candidates: ImageFilter[] = [{ os: osQuery, feature }];
  if (split) candidates.unshift({ os: split.os, version: split.version, feature });
  for (const f of candidates) {
    const rows = (await filtered(trx, [project, ""], f).execute()).filter(
      (r) => !r.expires_at || new Date(r.expires_at) > now,
    );
    const best = sortImages(rows)[0];
    if (best) return imageOf(best);
  }
  throw new ConnectError(`no image for os "${osQuery}" found`, Code.NotFound);
}

/** ImageInput describes a new image. */
export interface ImageInput {
  id: string;
  name: string;
  description: string;
  url: string;
  features: ImageFeature[];
  classification: ImageClassification;
  expiresAt?: Timestamp;
  labels: Record<string, string>;
}

/**
 * createImage adds an image owned by `project`, or a global one when `project` is "" (operators).
 * A project image may not reuse the id of a global image.
 */
export async function createImage(
  trx: Tx,
  project: string,
  input: ImageInput,
  now = new Date(),
): Promise<Image> {
  checkId(input.id);
  const split = splitOsVersion(input.id);
  if (!split) {
    throw new ConnectError(
      `id: "${input.id}" must be <os>-<version>, e.g. ubuntu-24.04.20251120`,
      Code.InvalidArgument,
    );
  }
  // Ids must stay unambiguous for a project: its own images and the global ones share one namespace.
  if (project) {
    const global = await trx
      .selectFrom("images")
      .select("id")
      .where("project", "=", "")
      .where("id", "=", input.id)
      .executeTakeFirst();
    if (global) {
      throw new ConnectError(
        `image "${input.id}" already exists as a global image; pick another id`,
        Code.AlreadyExists,
      );
    }
  } else {
    const owned = await trx
      .selectFrom("images")
      .select("project")
      .where("id", "=", input.id)
      .executeTakeFirst();
    if (owned) {
      throw new ConnectError(
        `image "${input.id}" already exists${owned.project ? ` in project "${owned.project}"` : ""}; pick another id`,
        Code.AlreadyExists,
      );
    }
  }
  const ts = now.toISOString();
  const row: ImageRow = {
    project,
    id: input.id,
    name: checkText(input.name, "name", 128),
    description: checkText(input.description, "description"),
    url: checkUrl(input.url),
    os: split.os,
    version: split.version,
    features: featuresText(input.features),
    classification: checkClassification(input.classification),
    expires_at: input.expiresAt ? timestampDate(input.expiresAt).toISOString() : null,
    labels: JSON.stringify(checkLabels(input.labels)),
    generation: 1,
    created_at: ts,
    updated_at: ts,
  };
  await insertProjectRow(trx, "images", "image", row);
  return imageOf(row);
}

/** ImageUpdate lists the changes to an image; unset fields (and empty features) stay. */
export interface ImageUpdate {
  updateMeta?: UpdateMeta;
  name?: string;
  description?: string;
  url?: string;
  features?: ImageFeature[];
  classification?: ImageClassification;
  expiresAt?: Timestamp;
  labels?: UpdateLabels;
}

/**
 * updateImage changes an image owned by `project` ("" for a global image, operators). A project
 * naming a global image gets PermissionDenied.
 */
export async function updateImage(
  trx: Tx,
  project: string,
  id: string,
  u: ImageUpdate,
  now = new Date(),
): Promise<Image> {
  const next = await updateProjectRow(
    trx,
    "images",
    "image",
    project,
    id,
    u,
    (row) => ({
      name: u.name !== undefined ? checkText(u.name, "name", 128) : row.name,
      description: u.description !== undefined ? checkText(u.description, "description") : row.description,
      url: u.url !== undefined ? checkUrl(u.url) : row.url,
      features: u.features && u.features.length > 0 ? featuresText(u.features) : row.features,
      classification:
        u.classification !== undefined ? checkClassification(u.classification) : row.classification,
      expires_at: u.expiresAt ? timestampDate(u.expiresAt).toISOString() : row.expires_at,
    }),
    now,
  );
  return imageOf(next);
}

/**
 * deleteImage removes an image owned by `project` ("" for a global image, operators) that no
 * machine is installed with.
 */
export async function deleteImage(trx: Tx, project: string, id: string): Promise<Image> {
  const row = await ownProjectRow(trx, "images", "image", project, id, "delete");
  let q = trx.selectFrom("machines").select("id").where("image", "=", id);
  if (project) q = q.where("project", "=", project);
  const machine = await q.limit(1).executeTakeFirst();
  if (machine) {
    throw new ConnectError(
      `image "${id}" is still installed on machines; delete them first`,
      Code.FailedPrecondition,
    );
  }
  await trx.deleteFrom("images").where("project", "=", project).where("id", "=", id).execute();
  return imageOf(row);
}
