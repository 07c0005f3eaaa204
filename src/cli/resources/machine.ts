import { create, fromJson } from "@bufbuild/protobuf";
import {
  type Machine,
  MachineLiveliness,
  MachineLivelinessSchema,
  MachinePowerStateSchema,
  MachineProvisioningEventType,
  MachineProvisioningEventTypeSchema,
  MachineSchema,
  MachineService,
  type MachineServiceCreateRequest,
  MachineServiceCreateRequestSchema,
  type MachineServiceListRequest,
  MachineServiceListRequestSchema,
  type MachineServiceUpdateRequest,
  MachineServiceUpdateRequestSchema,
  MachineState,
} from "../../gen/metalstack/api/v2/machine_pb.js";
import { allPages } from "../api/paging.js";
import { usageError } from "../errors.js";
import type { JsonValue, Tone } from "../output/printer.js";
import { age } from "../output/time.js";
import {
  date,
  enumKey,
  enumLabel,
  parseLabels,
  protoView,
  setEnumKey,
  showLabels,
  splitList,
} from "./common.js";
import { type MachineFilterInput, machineQuery } from "./machine-filters.js";
import { type Applies, completionOf, type Deletes, type Lists } from "./resource.js";

/**
 * machineView shows machines the way metal-stack users know them: the allocation, the last provisioning
 * event with its age and a status of liveliness plus state markers; wide adds rack, confirmed power,
 * state reason, hostname, allocation age, IPs and labels. The BMC address is not part of a machine and never shown.
 */
export const machineView = protoView(MachineSchema, [
  { header: "ID", value: (m) => m.uuid },
  { header: "Name", value: (m) => m.allocation?.name ?? "" },
  { header: "Partition", value: (m) => m.partition },
  { header: "Size", value: (m) => m.size },
  { header: "Image", value: (m) => m.allocation?.image ?? "" },
  { header: "Last Event", value: (m) => eventLabel(m.status?.lastEvent ?? 0) || "-" },
  // Age is how long the machine has been allocated (the simulator's re-sent events must not reset it).
  {
    header: "Age",
    value: (m, now) => age(date(m.allocation?.createdAt), now),
    sortKey: (m) => date(m.allocation?.createdAt)?.getTime() ?? 0,
  },
  { header: "Status", value: (m) => machineStatus(m), tone: (m) => livelinessTone(m) },
  { header: "Rack", value: (m) => m.rack, wide: true },
  {
    header: "Power",
    value: (m) => setEnumKey(MachinePowerStateSchema, m.management?.power ?? 0),
    wide: true,
  },
  { header: "Reason", value: (m) => m.stateDescription, wide: true },
  { header: "Hostname", value: (m) => m.allocation?.hostname ?? "", wide: true },
  {
    header: "Last Event Age",
    value: (m, now) => age(date(m.status?.lastEventTime), now),
    sortKey: (m) => date(m.status?.lastEventTime)?.getTime() ?? 0,
    wide: true,
  },
  {
    header: "IPs",
    value: (m) => (m.allocation?.networks ?? []).flatMap((n) => n.ips).join(","),
    wide: true,
  },
  { header: "Labels", value: (m) => showLabels(m.meta?.labels), wide: true },
]);

/**
 * machineStatus is the liveliness (alive, dead, unknown) followed by the markers of a crash loop and
 * of the operator's state (locked, reserved), e.g. "dead, locked"; "-" when the server sent none.
 */
export function machineStatus(m: Machine): string {
  const liveliness = enumKey(MachineLivelinessSchema, m.status?.liveliness ?? 0);
  const marks = [
    m.status?.liveliness ? liveliness : "",
    m.status?.crashLoop ? "crash loop" : "",
    m.state === MachineState.LOCKED ? "locked" : "",
    m.state === MachineState.RESERVED ? "reserved" : "",
  ].filter(Boolean);
  return marks.length ? marks.join(", ") : "-";
}

/** livelinessTone colours the status of a dead or crash-looping machine red and of an alive one green. */
function livelinessTone(m: Machine): Tone | undefined {
  if (m.status?.liveliness === MachineLiveliness.DEAD || m.status?.crashLoop) return "red";
  if (m.status?.liveliness === MachineLiveliness.ALIVE) return "green";
  return undefined;
}

/** MachineCreateInput is what `machine create` collects from flags and prompts. */
export interface MachineCreateInput {
  name?: string | undefined;
  hostname?: string | undefined;
  description?: string | undefined;
  partition?: string | undefined;
  size?: string | undefined;
  image?: string | undefined;
  filesystemLayout?: string | undefined;
  networks?: string[] | undefined;
  ips?: string[] | undefined;
  sshPublicKeys?: string[] | undefined;
  userdata?: string | undefined;
  labels?: string[] | undefined;
}

/** MACHINE_CREATE_REQUIRED lists the inputs a machine create needs, by flag name. */
export const MACHINE_CREATE_REQUIRED = ["name", "partition", "size", "image", "networks"] as const;

/** missingMachineCreateFlags names the required flags that have no value yet. */
export function missingMachineCreateFlags(input: MachineCreateInput): string[] {
  return MACHINE_CREATE_REQUIRED.filter((f) => {
    const v = input[f];
    return Array.isArray(v) ? splitList(v).length === 0 : !v;
  });
}

/** machineCreateRequest builds the create request from the collected input (pure). */
export function machineCreateRequest(
  input: MachineCreateInput,
  project: string,
): MachineServiceCreateRequest {
  return create(MachineServiceCreateRequestSchema, {
    project,
    name: input.name ?? "",
    hostname: input.hostname ?? "",
    description: input.description ?? "",
    partition: input.partition ?? "",
    size: input.size ?? "",
    image: input.image ?? "",
    filesystemLayout: input.filesystemLayout ?? "",
    networks: splitList(input.networks).map((spec) => {
      const [network, mode] = spec.split(":");
      return { network: network!, noAutoAcquireIp: mode === "noauto" };
    }),
    ips: splitList(input.ips),
    sshPublicKeys: (input.sshPublicKeys ?? []).map((k) => k.trim()).filter(Boolean),
    userdata: input.userdata ?? "",
    labels: parseLabels(input.labels),
  });
}

/** machineListRequest builds the list request from the filter flags (pure). */
export function machineListRequest(input: MachineFilterInput, project: string): MachineServiceListRequest {
  return create(MachineServiceListRequestSchema, { project, query: machineQuery(input) });
}

/** MachineUpdateInput are the changes of `machine update`. */
export interface MachineUpdateInput {
  name?: string | undefined;
  description?: string | undefined;
  labels?: string[] | undefined;
  removeLabels?: string[] | undefined;
  sshPublicKeys?: string[] | undefined;
  generation?: bigint | undefined;
}

/** machineUpdateRequest builds the update request; unset inputs stay unchanged on the server (pure). */
export function machineUpdateRequest(
  uuid: string,
  input: MachineUpdateInput,
  project: string,
): MachineServiceUpdateRequest {
  return create(MachineServiceUpdateRequestSchema, {
    project,
    uuid,
    updateMeta: { generation: input.generation ?? 0n },
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    labels: { update: parseLabels(input.labels), remove: splitList(input.removeLabels) },
    ...(input.sshPublicKeys ? { sshPublicKeys: { keys: input.sshPublicKeys } } : {}),
  });
}

/** machineName is how people name a machine next to its UUID: its name, else its hostname ("" when free). */
export function machineName(m: Machine): string {
  return m.allocation?.name || m.allocation?.hostname || "";
}

/** machineLabel names a machine in progress lines and notes: `3ae6d2bc-… (web-1)`, the UUID alone when free. */
export function machineLabel(m: Machine): string {
  const name = machineName(m);
  return name ? `${m.uuid} (${name})` : m.uuid;
}

/** isFinalEvent tells whether provisioning ended: Phoned Home is success, Crashing is failure. */
export function isFinalEvent(e: MachineProvisioningEventType): boolean {
  return e === MachineProvisioningEventType.PHONED_HOME || e === MachineProvisioningEventType.CRASHING;
}

/** eventLabel names a provisioning event type (PHONED_HOME → Phoned Home). */
export function eventLabel(e: MachineProvisioningEventType): string {
  return enumLabel(MachineProvisioningEventTypeSchema, e);
}

/**
 * machineCreateFromDocument reads `create -f`: either a machine as `describe -o yaml` prints it
 * (its allocation is copied) or a create request in the proto JSON mapping.
 */
export function machineCreateFromDocument(doc: JsonValue, project: string): MachineServiceCreateRequest {
  const obj = doc as { [k: string]: JsonValue };
  if (!("allocation" in obj)) {
    const req = fromJson(MachineServiceCreateRequestSchema, obj, { ignoreUnknownFields: false });
    req.project = project;
    return req;
  }
  const m = fromJson(MachineSchema, obj, { ignoreUnknownFields: true });
  const a = m.allocation!;
  return create(MachineServiceCreateRequestSchema, {
    project,
    name: a.name,
    hostname: a.hostname,
    description: a.description,
    partition: m.partition,
    size: m.size,
    image: a.image,
    filesystemLayout: a.filesystemLayout,
    networks: a.networks.map((n) => ({ network: n.network })),
    sshPublicKeys: a.sshPublicKeys,
    userdata: a.userdata,
    labels: m.meta?.labels ?? {},
  });
}

/**
 * machineUpdateFromDocument reads `update -f` with a machine as printed by `describe -o yaml`: name,
 * description, labels and SSH keys are applied, guarded by the generation that was read.
 */
export function machineUpdateFromDocument(doc: JsonValue, project: string): MachineServiceUpdateRequest {
  const m = fromJson(MachineSchema, doc, { ignoreUnknownFields: true });
  if (!m.uuid)
    throw usageError("--file: the machine has no uuid", "use the output of `machine describe ID -o yaml`");
  const labels = m.meta?.labels ?? {};
  return create(MachineServiceUpdateRequestSchema, {
    project,
    uuid: m.uuid,
    updateMeta: { generation: m.meta?.generation ?? 0n },
    name: m.allocation?.name ?? "",
    description: m.allocation?.description ?? "",
    labels: { update: labels },
    sshPublicKeys: { keys: m.allocation?.sshPublicKeys ?? [] },
  });
}

/** MACHINE_CREATE_PATHS says where a machine create request's fields live in a machine (describe -o yaml). */
export const MACHINE_CREATE_PATHS: Record<string, string> = {
  project: "allocation.project",
  name: "allocation.name",
  description: "allocation.description",
  hostname: "allocation.hostname",
  image: "allocation.image",
  filesystemLayout: "allocation.filesystemLayout",
  networks: "allocation.networks",
  sshPublicKeys: "allocation.sshPublicKeys",
  userdata: "allocation.userdata",
};

/**
 * machine is the project's machines, named by UUID (completion describes them by their allocation
 * name): listed with server-side filters, read, allocated, changed and freed.
 */
export const machine: Lists<Machine, MachineFilterInput> &
  Deletes<Machine> &
  Applies<Machine, typeof MachineServiceUpdateRequestSchema, typeof MachineServiceCreateRequestSchema> = {
  scope: "project",
  noun: "machine",
  view: machineView,
  editShape: (project, uuid) => ({
    request: MachineServiceUpdateRequestSchema,
    identity: { project, uuid },
    paths: {
      name: "allocation.name",
      description: "allocation.description",
      sshPublicKeys: "allocation.sshPublicKeys",
    },
    wrapped: { sshPublicKeys: "keys" },
  }),
  apply: {
    kind: "machine",
    schema: MachineSchema,
    idPath: "uuid",
    namePath: "allocation.name",
    createShape: (project) => ({
      request: MachineServiceCreateRequestSchema,
      identity: { project },
      paths: MACHINE_CREATE_PATHS,
    }),
    named: (deps, project, name) => machine.list(deps, project, { name }),
  },
  ref: {
    kind: "machine",
    scope: "project",
    arg: "id",
    description: "Machine ID.",
    candidate: (m) => ({ value: m.uuid, description: machineName(m) }),
    names: (m) => [m.allocation?.name ?? "", m.allocation?.hostname ?? ""],
  },
  list: (deps, project, query) => {
    const client = deps.client(MachineService);
    const req = machineListRequest(query, project);
    return allPages(
      (paging) => client.list({ project: req.project, query: req.query, paging }),
      (res) => res.machines,
    );
  },
  get: async (deps, project, uuid) => (await deps.client(MachineService).get({ project, uuid })).machine!,
  create: async (deps, req) => (await deps.client(MachineService).create(req)).machine!,
  update: async (deps, req) => (await deps.client(MachineService).update(req)).machine!,
  delete: async (deps, project, uuid) =>
    (await deps.client(MachineService).delete({ project, uuid })).machine!,
};

/** completion offers the project's machine IDs. */
export const completion = completionOf(machine);
