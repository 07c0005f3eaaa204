import { type FilesystemLayout, FilesystemLayoutSchema } from "../../gen/metalstack/api/v2/filesystem_pb.js";
import { protoView, showLabels } from "./common.js";

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
  { header: "Project", value: (f: FilesystemLayout) => f.project, wide: true },
  { header: "Description", value: (f: FilesystemLayout) => f.description, wide: true },
  { header: "Labels", value: (f: FilesystemLayout) => showLabels(f.meta?.labels), wide: true },
]);
