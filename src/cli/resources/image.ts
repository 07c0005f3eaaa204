import { Code, ConnectError } from "@connectrpc/connect";
import {
  type Image,
  ImageClassificationSchema,
  ImageFeatureSchema,
  ImageSchema,
  ImageService,
} from "../../gen/metalstack/api/v2/image_pb.js";
import { date, enumLabel, protoView, showLabels } from "./common.js";
import { completionOf, type Gets, type Lists, type Ref } from "./resource.js";

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

/** ref names images by ID. */
export const ref: Ref<Image> = {
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
