import { NetworkService, NetworkType } from "../../gen/metalstack/api/v2/network_pb.js";
import { PartitionService } from "../../gen/metalstack/api/v2/partition_pb.js";
import type { Deps } from "../deps.js";
import { usageError } from "../errors.js";
import type { Choice } from "../prompter.js";

/** NoChoice says what is missing when a list to pick from is empty, and how to get one. */
export interface NoChoice {
  message: string;
  hint: string;
}

/**
 * pickFrom lets the user pick one of the choices; with none it stops with a usage error saying what is
 * missing and how to create it, instead of showing a list where Enter does nothing.
 */
export async function pickFrom<T>(
  deps: Deps,
  message: string,
  choices: Choice<T>[],
  none: NoChoice,
): Promise<T> {
  if (choices.length === 0) throw usageError(none.message, none.hint);
  return deps.prompter.pick(message, choices);
}

/** askPartition lets the user pick a partition by ID (with its description). */
export async function askPartition(deps: Deps): Promise<string> {
  const { partitions } = await deps.client(PartitionService).list({});
  return pickFrom(
    deps,
    "Partition",
    partitions.map((x) => ({ name: x.id, value: x.id, description: x.description })),
    {
      message: "there is no partition to choose from",
      hint: "an operator creates one with `metalctl admin partition create`",
    },
  );
}

/** askIpNetwork lets the user pick the network of an IP: the project's networks or an external one. */
export async function askIpNetwork(deps: Deps, project: string): Promise<string> {
  const { networks } = await deps.client(NetworkService).list({ project });
  const usable = networks.filter((n) => n.type === NetworkType.CHILD || n.type === NetworkType.EXTERNAL);
  return pickFrom(
    deps,
    "Network",
    usable.map((n) => ({
      name: n.name || n.id,
      value: n.id,
      description: `${n.id} ${n.prefixes.join(",")}`,
    })),
    {
      message: `project ${project} has no network to take an IP address from`,
      hint: "allocate one with `metalctl network allocate --name NAME --partition PARTITION`",
    },
  );
}
