/** Catalog lookups other areas use: partitions, sizes, images and filesystem layouts, taking a Kysely transaction. */
export {
  getFilesystemLayoutForProject,
  matchFilesystemLayout,
} from "./filesystem-layouts.js";
export { getImageForProject, latestImage } from "./images.js";
export { getPartition } from "./partitions.js";
export { getSize } from "./sizes.js";
