import { create } from "@bufbuild/protobuf";
import { type Network, NetworkSchema, NetworkType } from "../../gen/metalstack/api/v2/network_pb.js";
import { metaOf } from "../catalog/resource-meta.js";
import type { NetworkRow } from "../store/network-schema.js";

/** USABLE_BASE_TYPES are the base network types every project may see and use. */
export const USABLE_BASE_TYPES: readonly NetworkType[] = [NetworkType.EXTERNAL, NetworkType.SUPER];

/** networkOf turns a stored network into the API message. */
export function networkOf(row: NetworkRow): Network {
  return create(NetworkSchema, {
    id: row.id,
    project: row.project,
    partition: row.partition,
    name: row.name,
    description: row.description,
    meta: metaOf(row),
    type: row.type,
    prefixes: JSON.parse(row.prefixes) as string[],
    destinationPrefixes: JSON.parse(row.destination_prefixes) as string[],
    defaultChildPrefixLength:
      row.child_length_v4 === null && row.child_length_v6 === null
        ? undefined
        : {
            ipv4: row.child_length_v4 ?? undefined,
            ipv6: row.child_length_v6 ?? undefined,
          },
    parentNetworkId: row.parent_network_id ?? "",
    vrf: row.vrf,
    nat: row.nat === 1,
  });
}
