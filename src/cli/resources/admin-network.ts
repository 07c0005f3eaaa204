import {
  NetworkService as AdminNetworkService,
  NetworkServiceCreateRequestSchema as AdminNetworkServiceCreateRequestSchema,
  NetworkServiceUpdateRequestSchema as AdminNetworkServiceUpdateRequestSchema,
} from "../../gen/metalstack/admin/v2/network_pb.js";
import { NetworkSchema } from "../../gen/metalstack/api/v2/network_pb.js";
import { allPages } from "../api/paging.js";
import {
  type NetworkListInput,
  type NetworkRow,
  network,
  networkFilters,
  networkRow,
  networkTree,
  networkView,
} from "./network.js";
import type { Applies, Lists } from "./resource.js";

/** adminNetworks is every network as operators list them: base networks with every project's children. */
export const adminNetworks: Lists<NetworkRow, NetworkListInput & { project?: string | undefined }> = {
  scope: "server",
  noun: "network",
  view: networkView,
  list: async (deps, _project, query) => {
    const client = deps.client(AdminNetworkService);
    const req = { ...(query.project ? { project: query.project } : {}), ...networkFilters(query) };
    return networkTree(
      await allPages(
        (paging) => client.list({ ...req, paging }),
        (res) => res.networks,
      ),
    );
  },
};

/**
 * adminNetwork is a base network (internet, a partition's super network, an underlay) as operators
 * create and change it, named by the ID they gave it.
 */
export const adminNetwork: Applies<
  NetworkRow,
  typeof AdminNetworkServiceUpdateRequestSchema,
  typeof AdminNetworkServiceCreateRequestSchema
> = {
  scope: "server",
  noun: "network",
  view: networkView,
  ref: network.ref,
  get: async (deps, _project, id) => networkRow((await deps.client(AdminNetworkService).get({ id })).network),
  update: async (deps, req) => networkRow((await deps.client(AdminNetworkService).update(req)).network),
  editShape: (_project, id) => ({ request: AdminNetworkServiceUpdateRequestSchema, identity: { id } }),
  apply: {
    kind: "network",
    schema: NetworkSchema,
    idPath: "id",
    namePath: "name",
    createShape: () => ({ request: AdminNetworkServiceCreateRequestSchema, identity: {} }),
  },
  create: async (deps, req) => networkRow((await deps.client(AdminNetworkService).create(req)).network),
};
