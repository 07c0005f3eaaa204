import { create, fromJson } from "@bufbuild/protobuf";
import { IPService as AdminIPService } from "../../gen/metalstack/admin/v2/ip_pb.js";
import {
  type IP,
  IPSchema,
  IPService,
  type IPServiceCreateRequest,
  IPServiceCreateRequestSchema,
  type IPServiceListRequest,
  IPServiceListRequestSchema,
  type IPServiceUpdateRequest,
  IPServiceUpdateRequestSchema,
  IPTypeSchema,
} from "../../gen/metalstack/api/v2/ip_pb.js";
import { AddressFamilySchema } from "../../gen/metalstack/api/v2/network_pb.js";
import { allPages } from "../api/paging.js";
import { usageError } from "../errors.js";
import type { JsonValue } from "../output/printer.js";
import { age } from "../output/time.js";
import { date, enumLabel, parseEnum, parseLabels, protoView, showLabels, splitList } from "./common.js";
import { type Applies, completionOf, type Deletes, type Lists } from "./resource.js";

/** ipView shows IP addresses with their network, type and the machine using them. */
export const ipView = protoView(IPSchema, [
  { header: "ID", value: (i: IP) => i.id },
  { header: "IP", value: (i: IP) => i.ip },
  { header: "Name", value: (i: IP) => i.name },
  { header: "Network", value: (i: IP) => i.network, names: { kind: "network", scope: "project" } },
  { header: "Type", value: (i: IP) => enumLabel(IPTypeSchema, i.type) },
  { header: "Machine", value: (i: IP) => i.machineId, names: { kind: "machine", scope: "project" } },
  { header: "Description", value: (i: IP) => i.description, wide: true },
  { header: "Project", value: (i: IP) => i.project, wide: true, names: { kind: "project", scope: "server" } },
  { header: "Labels", value: (i: IP) => showLabels(i.meta?.labels), wide: true },
  {
    header: "Age",
    value: (i: IP, now: Date) => age(date(i.meta?.createdAt), now),
    sortKey: (i: IP) => date(i.meta?.createdAt)?.getTime() ?? 0,
    wide: true,
  },
]);

/**
 * ip is the project's IP addresses: listed with filters, read, acquired, changed and released by ID
 * (what completion offers, with the address and name as description).
 */
export const ip: Lists<IP, IPListInput> &
  Deletes<IP> &
  Applies<IP, typeof IPServiceUpdateRequestSchema, typeof IPServiceCreateRequestSchema> = {
  scope: "project",
  noun: "IP",
  view: ipView,
  editShape: (project, id) => ({ request: IPServiceUpdateRequestSchema, identity: { project, id } }),
  apply: {
    kind: "ip",
    schema: IPSchema,
    idPath: "id",
    namePath: "name",
    createShape: (project) => ({ request: IPServiceCreateRequestSchema, identity: { project } }),
    named: (deps, project, name) => ip.list(deps, project, { name }),
  },
  ref: {
    kind: "ip",
    scope: "project",
    arg: "id",
    description: "IP ID.",
    candidate: (i) => ({ value: i.id, description: `${i.ip} ${i.name}`.trim() }),
    names: (i) => [i.ip, i.name],
  },
  list: (deps, project, query) => {
    const client = deps.client(IPService);
    const req = ipListRequest(query, project);
    return allPages(
      (paging) => client.list({ ...req, paging }),
      (res) => res.ips,
    );
  },
  get: async (deps, project, id) => (await deps.client(IPService).get({ project, id })).ip!,
  create: async (deps, req) => (await deps.client(IPService).create(req)).ip!,
  update: async (deps, req) => (await deps.client(IPService).update(req)).ip!,
  delete: async (deps, project, id) => (await deps.client(IPService).delete({ project, id })).ip!,
};

/** completion offers the project's IP IDs. */
export const completion = completionOf(ip);

/** adminIp is every project's IP addresses, as operators list them (filtered by project and network). */
export const adminIp: Lists<IP, { project?: string; network?: string }> = {
  scope: "server",
  noun: "IP",
  view: ipView,
  list: (deps, _project, query) => {
    const client = deps.client(AdminIPService);
    const req = {
      ...(query.project ? { project: query.project } : {}),
      ...(query.network ? { network: query.network } : {}),
    };
    return allPages(
      (paging) => client.list({ ...req, paging }),
      (res) => res.ips,
    );
  },
};

/** IPCreateInput is what `ip create` takes from flags. */
export interface IPCreateInput {
  network?: string | undefined;
  ip?: string | undefined;
  name?: string | undefined;
  description?: string | undefined;
  labels?: string[] | undefined;
  type?: string | undefined;
  addressFamily?: string | undefined;
}

/** ipCreateRequest builds the request to acquire an address (a given one or the next free) (pure). */
export function ipCreateRequest(input: IPCreateInput, project: string): IPServiceCreateRequest {
  return create(IPServiceCreateRequestSchema, {
    project,
    network: input.network ?? "",
    ...(input.ip ? { ip: input.ip } : {}),
    name: input.name ?? "",
    description: input.description ?? "",
    labels: parseLabels(input.labels),
    type: input.type ? parseEnum(IPTypeSchema, input.type, "--type") : 0,
    addressFamily: input.addressFamily
      ? parseEnum(AddressFamilySchema, input.addressFamily, "--address-family")
      : 0,
  });
}

/** IPListInput are the filters of `ip list`. */
export interface IPListInput {
  network?: string | undefined;
  ip?: string | undefined;
  type?: string | undefined;
  machine?: string | undefined;
  name?: string | undefined;
}

/** ipListRequest builds the list request from the filter flags (pure). */
export function ipListRequest(input: IPListInput, project: string): IPServiceListRequest {
  return create(IPServiceListRequestSchema, {
    project,
    ...(input.network ? { network: input.network } : {}),
    ...(input.ip ? { ip: input.ip } : {}),
    ...(input.type ? { type: parseEnum(IPTypeSchema, input.type, "--type") } : {}),
    ...(input.machine ? { machineId: input.machine } : {}),
    ...(input.name ? { name: input.name } : {}),
  });
}

/** IPUpdateInput are the changes of `ip update`. */
export interface IPUpdateInput {
  name?: string | undefined;
  description?: string | undefined;
  type?: string | undefined;
  labels?: string[] | undefined;
  removeLabels?: string[] | undefined;
}

/** ipUpdateRequest builds the update request; unset inputs stay unchanged (pure). */
export function ipUpdateRequest(id: string, input: IPUpdateInput, project: string): IPServiceUpdateRequest {
  return create(IPServiceUpdateRequestSchema, {
    project,
    id,
    updateMeta: { generation: 0n },
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.type ? { type: parseEnum(IPTypeSchema, input.type, "--type") } : {}),
    labels: { update: parseLabels(input.labels), remove: splitList(input.removeLabels) },
  });
}

/** ipCreateFromDocument reads `create -f`: an IP as printed by describe, or a create request. */
export function ipCreateFromDocument(doc: JsonValue, project: string): IPServiceCreateRequest {
  const obj = doc as { [k: string]: JsonValue };
  if (!("id" in obj)) {
    const req = fromJson(IPServiceCreateRequestSchema, obj);
    req.project = project;
    return req;
  }
  const i = fromJson(IPSchema, obj, { ignoreUnknownFields: true });
  return create(IPServiceCreateRequestSchema, {
    project,
    network: i.network,
    ...(i.ip ? { ip: i.ip } : {}),
    name: i.name,
    description: i.description,
    labels: i.meta?.labels ?? {},
    type: i.type,
  });
}

/** ipUpdateFromDocument reads `update -f` with an IP as printed by describe, guarded by its generation. */
export function ipUpdateFromDocument(
  doc: JsonValue,
  project: string,
  currentLabels: Record<string, string>,
): IPServiceUpdateRequest {
  const i = fromJson(IPSchema, doc, { ignoreUnknownFields: true });
  if (!i.id) throw usageError("--file: the IP has no id", "use the output of `ip describe ID -o yaml`");
  const labels = i.meta?.labels ?? {};
  return create(IPServiceUpdateRequestSchema, {
    project,
    id: i.id,
    updateMeta: { generation: i.meta?.generation ?? 0n },
    name: i.name,
    description: i.description,
    ...(i.type ? { type: i.type } : {}),
    labels: { update: labels, remove: Object.keys(currentLabels).filter((k) => !(k in labels)) },
  });
}
