import type { Deps } from "../deps.js";
import { filesystem } from "./filesystem.js";
import { image } from "./image.js";
import { network } from "./network.js";
import { partition } from "./partition.js";
import { lookupId, lookupIds, type Resource } from "./resource.js";
import { size } from "./size.js";

/** AllocationNames are the fields of a machine or firewall create request that name other items. */
interface AllocationNames {
  project: string;
  partition: string;
  size: string;
  image: string;
  filesystemLayout: string;
  networks: { network: string }[];
}

/**
 * resolveMachineNames turns the partition, size, image, filesystem layout and networks a create
 * request names (by name or ID prefix, from flags, prompts or a file) into their IDs, each resource
 * listed at most once; an unknown one is refused before anything is allocated.
 */
export async function resolveMachineNames<R extends AllocationNames>(deps: Deps, req: R): Promise<R> {
  const one = <T>(resource: Resource<T>, text: string) =>
    text ? lookupId(deps, resource, req.project, text) : Promise.resolve(text);
  const [partitionId, sizeId, imageId, layoutId, networkIds] = await Promise.all([
    one(partition, req.partition),
    one(size, req.size),
    one(image, req.image),
    one(filesystem, req.filesystemLayout),
    lookupIds(
      deps,
      network,
      req.project,
      req.networks.map((n) => n.network),
    ),
  ]);
  req.partition = partitionId;
  req.size = sizeId;
  req.image = imageId;
  req.filesystemLayout = layoutId;
  req.networks.forEach((n, i) => {
    n.network = networkIds[i]!;
  });
  return req;
}
