import { ImageFeature, ImageService } from "../../gen/metalstack/api/v2/image_pb.js";
import { NetworkService, NetworkType } from "../../gen/metalstack/api/v2/network_pb.js";
import { PartitionService } from "../../gen/metalstack/api/v2/partition_pb.js";
import { SizeService } from "../../gen/metalstack/api/v2/size_pb.js";
import type { Deps } from "../deps.js";
import type { MachineCreateInput } from "./machine.js";
import { missingMachineCreateFlags } from "./machine.js";

/**
 * askMachineCreateInput asks on the terminal for every required value the flags did not give:
 * the name, then select lists of the partitions, sizes, images and networks the user may use.
 */
export async function askMachineCreateInput(
  deps: Deps,
  input: MachineCreateInput,
  project: string,
): Promise<MachineCreateInput> {
  const out = { ...input };
  const missing = new Set(missingMachineCreateFlags(input));
  const p = deps.prompter;
  if (missing.has("name")) out.name = await p.input("Machine name");
  if (missing.has("partition")) {
    const { partitions } = await deps.client(PartitionService).list({});
    out.partition = await p.pick(
      "Partition",
      partitions.map((x) => ({ name: x.id, value: x.id, description: x.description })),
    );
  }
  if (missing.has("size")) {
    const { sizes } = await deps.client(SizeService).list({});
    out.size = await p.pick(
      "Size",
      sizes.map((x) => ({ name: x.id, value: x.id, description: x.name || x.description })),
    );
  }
  if (missing.has("image")) {
    const { images } = await deps.client(ImageService).list({ project, feature: ImageFeature.MACHINE });
    out.image = await p.pick(
      "Image",
      images.map((x) => ({ name: x.id, value: x.id, description: x.name || `${x.os} ${x.version}` })),
    );
  }
  if (missing.has("networks")) {
    const { networks } = await deps.client(NetworkService).list({ project });
    const usable = networks.filter(
      (n) =>
        (n.type === NetworkType.CHILD && (!out.partition || n.partition === out.partition)) ||
        n.type === NetworkType.EXTERNAL,
    );
    const child = await p.pick(
      "Network of the project",
      usable
        .filter((n) => n.type === NetworkType.CHILD)
        .map((n) => ({ name: n.id, value: n.id, description: `${n.name} ${n.prefixes.join(",")}`.trim() })),
    );
    out.networks = [child];
  }
  return out;
}
