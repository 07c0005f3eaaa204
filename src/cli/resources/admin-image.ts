import {
  ImageService as AdminImageService,
  ImageServiceCreateRequestSchema,
  ImageServiceUpdateRequestSchema,
} from "../../gen/metalstack/admin/v2/image_pb.js";
import { type Image, ImageSchema } from "../../gen/metalstack/api/v2/image_pb.js";
import { CliError, ExitCode } from "../errors.js";
import { imageView, ref } from "./image.js";
import type { Applies, Deletes, Lists } from "./resource.js";

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
