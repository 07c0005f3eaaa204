import {
  type Image,
  ImageClassificationSchema,
  ImageFeatureSchema,
  ImageSchema,
} from "../../gen/metalstack/api/v2/image_pb.js";
import { date, enumLabel, protoView, showLabels } from "./common.js";

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
  { header: "Project", value: (i: Image) => i.project, wide: true },
  { header: "URL", value: (i: Image) => i.url, wide: true },
  { header: "Labels", value: (i: Image) => showLabels(i.meta?.labels), wide: true },
]);
