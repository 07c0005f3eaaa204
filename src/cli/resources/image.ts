import { Code, ConnectError } from "@connectrpc/connect";
import {
  ImageService as AdminImageService,
  ImageServiceCreateRequestSchema,
  ImageServiceUpdateRequestSchema,
} from "../../gen/metalstack/admin/v2/image_pb.js";
import {
  type Image,
  ImageClassificationSchema,
  ImageFeatureSchema,
  ImageSchema,
  ImageService,
} from "../../gen/metalstack/api/v2/image_pb.js";
import { CliError, ExitCode } from "../errors.js";
import { date, enumLabel, protoView, showLabels } from "./common.js";
import { type Applies, completionOf, type Deletes, type Gets, type Lists, type Ref } from "./resource.js";

/** imageView shows OS images with version, features, classification and expiry. */
export const imageView = protoView(ImageSchema, [
  { header: "ID", value: (i: Image) => i.id },
  { header: "Name", value: (i: Image) => i.name },
  { header: "OS", value: (i: Image) => i.os },
  { header: "Version", value: (i: Image) => i.version },
  {
    header: "Features",
    value: (i: Image) => i.features.map((f) => enumLabel(ImageFeatureSchema, f)).join(","),
  },
  { header: "Classification", value: (i: Image) => enumLabel(ImageClassificationSchema, i.classification) },
  {
    header: "Expires",
    value: (i: Image) => date(i.expiresAt)?.toISOString().slice(0, 10) ?? "",
    sortKey: (i: Image) => date(i.expiresAt)?.getTime() ?? 0,
  },
  {
    header: "Project",
    value: (i: Image) => i.project,
    wide: true,
    names: { kind: "project", scope: "server" },
  },
  { header: "URL", value: (i: Image) => i.url, wide: true },
  { header: "Labels", value: (i: Image) => showLabels(i.meta?.labels), wide: true },
]);

const ref: Ref<Image> = {
  kind: "image",
  scope: "project",
  arg: "id",
  description: "ID.",
  candidate: (i) => ({ value: i.id, description: i.name || `${i.os} ${i.version}` }),
  names: (i) => [i.name],
  // The server takes "ubuntu" or "ubuntu-24" for the latest matching image.
  unmatched: "server",
};

/** image is the OS images a project may use: its own and the global ones. */
export const image: Lists<Image> & Gets<Image> & { ref: Ref<Image> } = {
  scope: "project",
  noun: "image",
  view: imageView,
  ref,
  list: async (deps, project) => (await deps.client(ImageService).list({ project })).images,
  get: async (deps, project, id) => {
    const images = deps.client(ImageService);
    try {
      return (await images.get({ project, id })).image!;
    } catch (e) {
      // Like machine create, "ubuntu" or "ubuntu-24.04" names the newest image of that OS.
      if (!(e instanceof ConnectError && e.code === Code.NotFound)) throw e;
      const latest = await images.latest({ project, os: id }).catch(() => undefined);
      if (!latest?.image) throw e;
      return latest.image;
    }
  },
};

/** completion offers the IDs of the images the project may use. */
export const completion = completionOf(image);

/** adminImages is every image of all projects plus the global ones, as operators list them. */
export const adminImages: Lists<Image, { project?: string; os?: string }> = {
  scope: "server",
  noun: "image",
  view: imageView,
  list: async (deps, _project, query) =>
    (
      await deps.client(AdminImageService).list({
        ...(query.project ? { project: query.project } : {}),
        ...(query.os ? { os: query.os } : {}),
      })
    ).images,
};

/**
 * adminImage is a global image as operators create, change and delete it (named like the users'
 * images); operators read one from the list of all images, as there is no admin Get.
 */
export const adminImage: Deletes<Image> &
  Applies<Image, typeof ImageServiceUpdateRequestSchema, typeof ImageServiceCreateRequestSchema> = {
  scope: "server",
  noun: "image",
  view: imageView,
  ref,
  get: async (deps, _project, id) => {
    const found = (await adminImages.list(deps, "", {})).find((i) => i.id === id);
    if (!found) throw new CliError(`image ${id} not found`, ExitCode.notFound);
    return found;
  },
  update: async (deps, req) => (await deps.client(AdminImageService).update(req)).image!,
  editShape: (_project, id) => ({ request: ImageServiceUpdateRequestSchema, identity: { id } }),
  apply: {
    kind: "image",
    schema: ImageSchema,
    idPath: "id",
    namePath: "name",
    createShape: () => ({ request: ImageServiceCreateRequestSchema, identity: {} }),
  },
  create: async (deps, req) => (await deps.client(AdminImageService).create(req)).image!,
  delete: async (deps, _project, id) => (await deps.client(AdminImageService).delete({ id })).image!,
};
