import { create, fromJson, toJson } from "@bufbuild/protobuf";
import {
  AddressFamilySchema,
  type Network,
  NetworkSchema,
  NetworkService,
  type NetworkServiceCreateRequest,
  NetworkServiceCreateRequestSchema,
  type NetworkServiceUpdateRequest,
  NetworkServiceUpdateRequestSchema,
  NetworkTypeSchema,
} from "../../gen/metalstack/api/v2/network_pb.js";
import { allPages } from "../api/paging.js";
import { usageError } from "../errors.js";
import type { JsonValue, View } from "../output/printer.js";
import { age } from "../output/time.js";
import { date, enumLabel, parseEnum, parseLabels, showLabels, splitList } from "./common.js";
import { type Applies, completionOf, type Deletes, type Lists } from "./resource.js";

/** NetworkRow is a network placed in the tree of base networks and their children. */
export interface NetworkRow {
  network: Network;
  /** Tree drawing before the ID: "" for roots, "├─ " / "└─ " for children. */
  branch: string;
}

/** networkView shows networks as a tree (children under their parent); JSON/YAML is the plain network. */
export const networkView: View<NetworkRow> = {
  columns: [
    { header: "ID", value: (r) => `${r.branch}${r.network.id}`, sortKey: (r) => r.network.id },
    { header: "Name", value: (r) => r.network.name },
    { header: "Type", value: (r) => enumLabel(NetworkTypeSchema, r.network.type) },
    { header: "Project", value: (r) => r.network.project, names: { kind: "project", scope: "server" } },
    { header: "Partition", value: (r) => r.network.partition },
    { header: "Prefixes", value: (r) => r.network.prefixes.join(",") },
    { header: "Description", value: (r) => r.network.description, wide: true },
    { header: "Destinations", value: (r) => r.network.destinationPrefixes.join(","), wide: true },
    { header: "VRF", value: (r) => (r.network.vrf ? String(r.network.vrf) : ""), wide: true },
    { header: "NAT", value: (r) => (r.network.nat ? "yes" : ""), wide: true },
    { header: "Labels", value: (r) => showLabels(r.network.meta?.labels), wide: true },
    {
      header: "Age",
      value: (r, now) => age(date(r.network.meta?.createdAt), now),
      sortKey: (r) => date(r.network.meta?.createdAt)?.getTime() ?? 0,
      wide: true,
    },
  ],
  toJson: (r) => toJson(NetworkSchema, r.network) as JsonValue,
};

/** networkTree orders networks parent first, each followed by its children, and draws the branches. */
export function networkTree(networks: Network[]): NetworkRow[] {
  const ids = new Set(networks.map((n) => n.id));
  const children = new Map<string, Network[]>();
  const roots: Network[] = [];
  for (const n of networks) {
    if (n.parentNetworkId && ids.has(n.parentNetworkId)) {
      children.set(n.parentNetworkId, [...(children.get(n.parentNetworkId) ?? []), n]);
    } else {
      roots.push(n);
    }
  }
  const rows: NetworkRow[] = [];
  const walk = (n: Network, indent: string, branch: string) => {
    rows.push({ network: n, branch: indent + branch });
    const kids = children.get(n.id) ?? [];
    const nextIndent = branch === "" ? "" : indent + (branch === "└─ " ? "   " : "│  ");
    kids.forEach((k, i) => {
      walk(k, nextIndent, i === kids.length - 1 ? "└─ " : "├─ ");
    });
  };
  for (const r of roots) walk(r, "", "");
  return rows;
}

/** NetworkAllocateInput is what `network allocate` takes from flags. */
export interface NetworkAllocateInput {
  name?: string | undefined;
  description?: string | undefined;
  partition?: string | undefined;
  parent?: string | undefined;
  labels?: string[] | undefined;
  ipv4Length?: number | undefined;
  ipv6Length?: number | undefined;
  addressFamily?: string | undefined;
}

/** networkAllocateRequest builds the request for a child network of the project (pure). */
export function networkAllocateRequest(
  input: NetworkAllocateInput,
  project: string,
): NetworkServiceCreateRequest {
  return create(NetworkServiceCreateRequestSchema, {
    project,
    name: input.name ?? "",
    description: input.description ?? "",
    partition: input.partition ?? "",
    parentNetworkId: input.parent ?? "",
    labels: parseLabels(input.labels),
    ...(input.ipv4Length !== undefined || input.ipv6Length !== undefined
      ? {
          length: {
            ...(input.ipv4Length !== undefined ? { ipv4: input.ipv4Length } : {}),
            ...(input.ipv6Length !== undefined ? { ipv6: input.ipv6Length } : {}),
          },
        }
      : {}),
    addressFamily: input.addressFamily
      ? parseEnum(AddressFamilySchema, input.addressFamily, "--address-family")
      : 0,
  });
}

/** NetworkUpdateInput are the changes of `network update`. */
export interface NetworkUpdateInput {
  name?: string | undefined;
  description?: string | undefined;
  labels?: string[] | undefined;
  removeLabels?: string[] | undefined;
}

/** networkUpdateRequest builds the update request; unset inputs stay unchanged (pure). */
export function networkUpdateRequest(
  id: string,
  input: NetworkUpdateInput,
  project: string,
): NetworkServiceUpdateRequest {
  return create(NetworkServiceUpdateRequestSchema, {
    project,
    id,
    updateMeta: { generation: 0n },
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    labels: { update: parseLabels(input.labels), remove: splitList(input.removeLabels) },
  });
}

/** networkAllocateFromDocument reads `allocate -f`: a network as printed by describe, or a create request. */
export function networkAllocateFromDocument(doc: JsonValue, project: string): NetworkServiceCreateRequest {
  const obj = doc as { [k: string]: JsonValue };
  if (!("id" in obj) && !("prefixes" in obj)) {
    const req = fromJson(NetworkServiceCreateRequestSchema, obj);
    req.project = project;
    return req;
  }
  const n = fromJson(NetworkSchema, obj, { ignoreUnknownFields: true });
  return create(NetworkServiceCreateRequestSchema, {
    project,
    name: n.name,
    description: n.description,
    partition: n.partition,
    parentNetworkId: n.parentNetworkId,
    labels: n.meta?.labels ?? {},
  });
}

/**
 * networkUpdateFromDocument reads `update -f` with a network as printed by describe: name,
 * description and labels (labels missing from `current` removal is computed by the caller) with the
 * generation that was read.
 */
export function networkUpdateFromDocument(
  doc: JsonValue,
  project: string,
  currentLabels: Record<string, string>,
): NetworkServiceUpdateRequest {
  const n = fromJson(NetworkSchema, doc, { ignoreUnknownFields: true });
  if (!n.id)
    throw usageError("--file: the network has no id", "use the output of `network describe ID -o yaml`");
  const labels = n.meta?.labels ?? {};
  return create(NetworkServiceUpdateRequestSchema, {
    project,
    id: n.id,
    updateMeta: { generation: n.meta?.generation ?? 0n },
    name: n.name,
    description: n.description,
    labels: { update: labels, remove: Object.keys(currentLabels).filter((k) => !(k in labels)) },
  });
}

/** NetworkListInput are the filters of `network list`. */
export interface NetworkListInput {
  name?: string | undefined;
  partition?: string | undefined;
  type?: string | undefined;
  prefix?: string | undefined;
  label?: string[] | undefined;
}

/** networkFilters are the list filters users' and operators' network lists share, as request fields. */
export function networkFilters(query: NetworkListInput) {
  return {
    ...(query.partition ? { partition: query.partition } : {}),
    ...(query.type ? { type: parseEnum(NetworkTypeSchema, query.type, "--type") } : {}),
    ...(query.prefix ? { prefix: query.prefix } : {}),
    labels: parseLabels(query.label, "--label"),
  };
}

/** networkRow places a single network (an API answer) as a root of the tree. */
export const networkRow = (network: Network | undefined): NetworkRow => ({ network: network!, branch: "" });

/**
 * network is the networks a project may use (base networks and its child networks), shown as a
 * tree; child networks are allocated, changed and freed by ID.
 */
export const network: Lists<NetworkRow, NetworkListInput> &
  Deletes<NetworkRow> &
  Applies<NetworkRow, typeof NetworkServiceUpdateRequestSchema, typeof NetworkServiceCreateRequestSchema> = {
  scope: "project",
  noun: "network",
  view: networkView,
  editShape: (project, id) => ({ request: NetworkServiceUpdateRequestSchema, identity: { project, id } }),
  apply: {
    kind: "network",
    schema: NetworkSchema,
    idPath: "id",
    namePath: "name",
    createShape: (project) => ({ request: NetworkServiceCreateRequestSchema, identity: { project } }),
    named: (deps, project, name) => network.list(deps, project, { name }),
  },
  ref: {
    kind: "network",
    scope: "project",
    arg: "id",
    description: "Network ID.",
    candidate: (r) => ({ value: r.network.id, description: r.network.name }),
    names: (r) => [r.network.name],
  },
  list: async (deps, project, query) => {
    const client = deps.client(NetworkService);
    const req = { project, ...(query.name ? { name: query.name } : {}), ...networkFilters(query) };
    // The tree places children under their parents, so it needs every page before it is drawn.
    return networkTree(
      await allPages(
        (paging) => client.list({ ...req, paging }),
        (res) => res.networks,
      ),
    );
  },
  get: async (deps, project, id) =>
    networkRow((await deps.client(NetworkService).get({ project, id })).network),
  create: async (deps, req) => networkRow((await deps.client(NetworkService).create(req)).network),
  update: async (deps, req) => networkRow((await deps.client(NetworkService).update(req)).network),
  delete: async (deps, project, id) =>
    networkRow((await deps.client(NetworkService).delete({ project, id })).network),
};

/** completion offers the IDs of the networks the project may use. */
export const completion = completionOf(network);
