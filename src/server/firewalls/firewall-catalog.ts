import { Code, ConnectError } from "@connectrpc/connect";
import { ImageFeature } from "../../gen/metalstack/api/v2/image_pb.js";
import type { MachineServiceCreateRequest } from "../../gen/metalstack/api/v2/machine_pb.js";
import { NetworkType } from "../../gen/metalstack/api/v2/network_pb.js";
import { getFilesystemLayoutForProject, matchFilesystemLayout } from "../catalog/filesystem-layouts.js";
import { getImageForProject, latestImage } from "../catalog/images.js";
import type { AppContext } from "../context.js";
import { networkRowForProject } from "../ipam/networks.js";
import { requirePartitionAndSize } from "../machines/catalog-refs.js";

/**
 * resolveFirewallCatalog is requireAllocationCatalog for firewalls: the image (an id or
 * "<os>[-<version>]") must carry the firewall feature and be visible to the project.
 */
export async function resolveFirewallCatalog(
  ctx: AppContext,
  req: MachineServiceCreateRequest,
): Promise<{ image: string; filesystemLayout: string }> {
  const db = ctx.db.kysely;
  await requirePartitionAndSize(ctx, req.partition, req.size);
  if (!req.image) throw new ConnectError("image: name a firewall image", Code.InvalidArgument);
  const image = await getImageForProject(db, req.project, req.image).catch(async (err) => {
    if (ConnectError.from(err).code !== Code.NotFound) throw err;
    return latestImage(db, req.project, req.image, ImageFeature.FIREWALL, ctx.now()).catch((e) => {
      if (ConnectError.from(e).code !== Code.NotFound) throw e;
      throw new ConnectError(
        `image: "${req.image}" is neither an image id nor an OS with a firewall image; list them with \`metalctl image list\``,
        Code.NotFound,
      );
    });
  });
  if (!image.features.includes(ImageFeature.FIREWALL)) {
    throw new ConnectError(
      `image: "${image.id}" is not a firewall image; choose an image with the firewall feature`,
      Code.InvalidArgument,
    );
  }
  const layout = req.filesystemLayout
    ? await getFilesystemLayoutForProject(db, req.project, req.filesystemLayout)
    : await matchFilesystemLayout(db, req.project, req.size, image.id);
  return { image: image.id, filesystemLayout: layout.id };
}

/** requireExternalNetwork fails with InvalidArgument unless one of the named networks is external. */
export async function requireExternalNetwork(
  ctx: AppContext,
  project: string,
  networks: string[],
): Promise<void> {
  for (const id of networks) {
    if (!id) continue;
    const row = await networkRowForProject(ctx.db.kysely, project, id);
    if (row.type === NetworkType.EXTERNAL) return;
  }
  throw new ConnectError(
    "networks: a firewall needs at least one external network (e.g. internet) besides the project's child network",
    Code.InvalidArgument,
  );
}
