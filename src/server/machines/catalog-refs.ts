import { Code, ConnectError } from "@connectrpc/connect";
import { ImageFeature } from "../../gen/metalstack/api/v2/image_pb.js";
import type { MachineServiceCreateRequest } from "../../gen/metalstack/api/v2/machine_pb.js";
import type { Size } from "../../gen/metalstack/api/v2/size_pb.js";
import { getFilesystemLayoutForProject, matchFilesystemLayout } from "../catalog/filesystem-layouts.js";
import { getImageForProject, latestImage } from "../catalog/images.js";
import { getPartition } from "../catalog/partitions.js";
import { getSize } from "../catalog/sizes.js";
import type { AppContext } from "../context.js";

/** requirePartitionAndSize fails with NotFound unless both the partition and the size exist; it returns the size. */
export async function requirePartitionAndSize(
  ctx: AppContext,
  partition: string,
  size: string,
): Promise<Size> {
  await getPartition(ctx.db.kysely, partition);
  return getSize(ctx.db.kysely, size);
}

/**
 * requireAllocationCatalog resolves what a create request names in the catalog: partition and size
 * must exist; the image is an image id or "<os>[-<version>]" (the latest machine image of it) and,
 * like the filesystem layout, must be visible to the project. Without a layout the one matching
 * size and image is taken.
 */
export async function requireAllocationCatalog(
  ctx: AppContext,
  req: MachineServiceCreateRequest,
): Promise<{ image: string; filesystemLayout: string }> {
  const db = ctx.db.kysely;
  await requirePartitionAndSize(ctx, req.partition, req.size);
  const image = await getImageForProject(db, req.project, req.image).catch(async (err) => {
    if (ConnectError.from(err).code !== Code.NotFound) throw err;
    return latestImage(db, req.project, req.image, ImageFeature.MACHINE, ctx.now()).catch((e) => {
      if (ConnectError.from(e).code !== Code.NotFound) throw e;
      throw new ConnectError(
        `image: "${req.image}" is neither an image id nor an OS with a machine image; list them with \`metalctl image list\``,
        Code.NotFound,
      );
    });
  });
  if (!image.features.includes(ImageFeature.MACHINE)) {
    throw new ConnectError(`image: "${image.id}" is not a machine image`, Code.InvalidArgument);
  }
  const layout = req.filesystemLayout
    ? await getFilesystemLayoutForProject(db, req.project, req.filesystemLayout)
    : await matchFilesystemLayout(db, req.project, req.size, image.id);
  return { image: image.id, filesystemLayout: layout.id };
}
