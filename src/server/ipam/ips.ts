import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Paging, UpdateLabels, UpdateMeta } from "../../gen/metalstack/api/v2/common_pb.js";
import { type IP, IPSchema, IPType } from "../../gen/metalstack/api/v2/ip_pb.js";
import { AddressFamily, NetworkType } from "../../gen/metalstack/api/v2/network_pb.js";
import { checkText, metaOf, type Tx } from "../catalog/resource-meta.js";
import { escapeForMessage } from "../input-echo.js";
import { applyLabelUpdate, checkLabels } from "../labels.js";
import type { IpRow } from "../store/network-schema.js";
import { decodeTuplePageToken, pageOf, pageSize, tupleKey } from "../store/paging.js";
import { checkGeneration, lockForUpdate } from "../store/versioned-rows.js";
import { isUniqueViolation } from "../tenancy/trx.js";
import {
  type Address,
  addressKey,
  contains,
  type Family,
  formatAddress,
  formatPrefix,
  isReserved,
  lastOf,
  type Prefix,
  parseAddress,
  parsePrefix,
} from "./cidr.js";
import { lockNetwork } from "./network-lock.js";
import { networkRowForProject } from "./networks.js";

/** ipOf turns a stored IP into the API message. */
function ipOf(row: IpRow): IP {
  return create(IPSchema, {
    id: row.id,
    ip: row.address,
    project: row.project,
    network: row.network_id,
    name: row.name,
    description: row.description,
    meta: metaOf(row),
    type: row.type,
    machineId: row.machine_id ?? "",
  });
}

/** AllocateIpInput says where to allocate an address and how to record it. */
export interface AllocateIpInput {
  project: string;
  networkId: string;
  /** A specific address; when omitted, the lowest free one. */
  address?: string;
  /** Ephemeral (released with its machine) or static; unspecified means ephemeral. */
  type: IPType;
  name?: string;
  description?: string;
  labels?: Record<string, string>;
  /** Machine the address is attached to right away. */
  machineId?: string;
  /** Family in a dual-stack network; unspecified prefers IPv4. */
  addressFamily?: AddressFamily;
  now?: Date;
}

/**
 * allocateIp allocates the lowest free (or the requested) address of a network the project may use
 * (its child network or an external one). Network and broadcast addresses and addresses already
 * allocated are never handed out. Concurrent allocations from one network serialize on it (see
 * lockNetwork). Errors: NotFound for networks the project cannot use, InvalidArgument for a bad or
 * foreign address, AlreadyExists for a taken address, ResourceExhausted naming the full network.
 */
export async function allocateIp(trx: Tx, input: AllocateIpInput): Promise<IP> {
  const network = await networkRowForProject(trx, input.project, input.networkId);
  if (network.type === NetworkType.SUPER) {
    throw new ConnectError(
      `network: "${network.id}" is a super network; allocate a child network from it and take IPs from that`,
      Code.InvalidArgument,
    );
  }
  const type = input.type === IPType.IP_TYPE_UNSPECIFIED ? IPType.IP_TYPE_EPHEMERAL : input.type;
  if (type !== IPType.IP_TYPE_EPHEMERAL && type !== IPType.IP_TYPE_STATIC) {
    throw new ConnectError(`type: ${input.type} is not a known IPType`, Code.InvalidArgument);
  }
  await lockNetwork(trx, network.id);
  const prefixes = (JSON.parse(network.prefixes) as string[]).map((t) => parsePrefix(t) as Prefix);
  let address: Address;
  if (input.address !== undefined && input.address !== "") {
    const a = parseAddress(input.address);
    if (!a) throw new ConnectError(`ip: "${input.address}" is not an IP address`, Code.InvalidArgument);
    const prefix = prefixes.find((p) => contains(p, a));
    if (!prefix) {
      throw new ConnectError(
        `ip: ${formatAddress(a)} is not inside network "${network.id}" (${prefixes.map(formatPrefix).join(", ")})`,
        Code.InvalidArgument,
      );
    }
    if (isReserved(prefix, a)) {
      throw new ConnectError(
        `ip: ${formatAddress(a)} is the network or broadcast address of ${formatPrefix(prefix)} and cannot be allocated`,
        Code.InvalidArgument,
      );
    }
    address = a;
    const taken = await trx
      .selectFrom("ips")
      .select("id")
      .where("network_id", "=", network.id)
      .where("address", "=", formatAddress(a))
      .executeTakeFirst();
    if (taken) {
      throw new ConnectError(
        `ip: ${formatAddress(a)} is already allocated in network "${network.id}"`,
        Code.AlreadyExists,
      );
    }
  } else {
    const family = pickFamily(network.id, prefixes, input.addressFamily);
    const used = await trx
      .selectFrom("ips")
      .select("address")
      .where("network_id", "=", network.id)
      .where("family", "=", family)
      .execute();
    const usedValues = new Set(used.map((u) => parseAddress(u.address)!.value));
    const free = firstFree(
      prefixes.filter((p) => p.family === family),
      usedValues,
    );
    if (free === undefined) {
      throw new ConnectError(
        `network "${network.id}" has no free IPv${family} address left`,
        Code.ResourceExhausted,
      );
    }
    address = { family, value: free };
  }
  const ts = (input.now ?? new Date()).toISOString();
  const row: IpRow = {
    id: crypto.randomUUID(),
    project: input.project,
    network_id: network.id,
    address: formatAddress(address),
    address_key: addressKey(address),
    family: address.family,
    name: checkText(input.name ?? "", "name", 128),
    description: checkText(input.description ?? "", "description"),
    type,
    machine_id: input.machineId || null,
    labels: JSON.stringify(checkLabels(input.labels ?? {})),
    generation: 1,
    created_at: ts,
    updated_at: ts,
  };
  try {
    await trx.insertInto("ips").values(row).execute();
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new ConnectError(
        `ip: ${row.address} is already allocated in network "${network.id}"`,
        Code.AlreadyExists,
      );
    }
    throw err;
  }
  return ipOf(row);
}

function pickFamily(networkId: string, prefixes: Prefix[], wanted: AddressFamily | undefined): Family {
  const has = (f: Family) => prefixes.some((p) => p.family === f);
  if (wanted === AddressFamily.V4 || wanted === AddressFamily.V6) {
    const f: Family = wanted === AddressFamily.V4 ? 4 : 6;
    if (!has(f)) {
      throw new ConnectError(
        `address_family: network "${networkId}" has no IPv${f} prefix`,
        Code.InvalidArgument,
      );
    }
    return f;
  }
  return has(4) ? 4 : 6;
}

/** firstFree returns the lowest address of the prefixes that is neither reserved nor used. */
function firstFree(prefixes: Prefix[], used: Set<bigint>): bigint | undefined {
  for (const p of prefixes) {
    // At most used.size + 1 steps per prefix: each step skips one used address.
    for (let v = p.base + 1n; v < lastOf(p); v++) {
      if (!used.has(v)) return v;
    }
  }
  return undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * ipRef reads a reference to an IP: its id (a UUID) or its address, as the column to look it up by;
 * anything else (a zone "fe80::1%eth0", a prefix, "1.2.3") is InvalidArgument naming `field`.
 */
function ipRef(idOrAddress: string, field: string): { column: "id" | "address"; value: string } {
  const parsed = parseAddress(idOrAddress);
  if (parsed) return { column: "address", value: formatAddress(parsed) };
  if (UUID.test(idOrAddress)) return { column: "id", value: idOrAddress };
  throw new ConnectError(
    `${field}: ${escapeForMessage(idOrAddress)} is neither an IP id (a UUID) nor an IP address such as 10.0.0.1 or 2001:db8::1`,
    Code.InvalidArgument,
  );
}

async function ipRowForProject(trx: Tx, project: string, idOrAddress: string, field = "id"): Promise<IpRow> {
  const ref = ipRef(idOrAddress, field);
  const q = trx
    .selectFrom("ips")
    .selectAll()
    .where("project", "=", project)
    .where(ref.column, "=", ref.value);
  const row = await q.executeTakeFirst();
  if (!row || !project) throw new ConnectError(`ip "${idOrAddress}" not found`, Code.NotFound);
  return row;
}

/**
 * getIpForProject returns one of the project's IPs by id or by address; NotFound otherwise, and
 * InvalidArgument naming `field` when the value is neither.
 */
export async function getIpForProject(
  trx: Tx,
  project: string,
  idOrAddress: string,
  field = "id",
): Promise<IP> {
  return ipOf(await ipRowForProject(trx, project, idOrAddress, field));
}

/** IpFilter narrows IP lists; unset fields do not filter. */
export interface IpFilter {
  project?: string;
  networkId?: string;
  address?: string;
  type?: IPType;
  machineId?: string;
  name?: string;
}

function ipListQuery(trx: Tx, f: IpFilter) {
  let q = trx.selectFrom("ips").selectAll();
  if (f.project !== undefined) q = q.where("project", "=", f.project);
  if (f.networkId !== undefined) q = q.where("network_id", "=", f.networkId);
  if (f.address !== undefined) {
    const a = parseAddress(f.address);
    q = q.where("address", "=", a ? formatAddress(a) : f.address);
  }
  if (f.type !== undefined && f.type !== IPType.IP_TYPE_UNSPECIFIED) q = q.where("type", "=", f.type);
  if (f.machineId !== undefined) q = q.where("machine_id", "=", f.machineId);
  if (f.name !== undefined) q = q.where("name", "=", f.name);
  // address_key sorts by family, then numerically; (network_id, address_key) is unique and indexed.
  return q.orderBy("network_id").orderBy("address_key");
}

/** IpPage is one page of an IP list and the token of the next page ("" on the last page). */
export interface IpPage {
  ips: IP[];
  nextPageToken: string;
}

/**
 * listIpPage returns one page of the IPs matching the filter, ordered by network and address. It
 * continues after the (network, address key) of the token's row, so IPs allocated or released between
 * pages neither repeat nor shift the rest; with `project` it runs on the (project, network_id, address_key) index.
 */
export async function listIpPage(trx: Tx, f: IpFilter, paging: Paging | undefined): Promise<IpPage> {
  const size = pageSize(paging);
  let q = ipListQuery(trx, f);
  if (paging?.pageToken) {
    const [networkId, key] = decodeTuplePageToken(paging.pageToken, "ip", 2, ([, k]) =>
      /^(4[0-9a-f]{8}|6[0-9a-f]{32})$/.test(k ?? ""),
    ) as [string, string];
    q = q.where(({ eb, refTuple, tuple }) =>
      eb(refTuple("network_id", "address_key"), ">", tuple(networkId, key)),
    );
  }
  const { rows, nextPageToken } = pageOf(await q.limit(size + 1).execute(), size, (r) =>
    tupleKey([r.network_id, r.address_key]),
  );
  return { ips: rows.map(ipOf), nextPageToken };
}

/** IpUpdate lists the changes to an IP; unset fields stay. */
export interface IpUpdate {
  updateMeta?: UpdateMeta;
  name?: string;
  description?: string;
  /** Ephemeral may become static; static never becomes ephemeral. */
  type?: IPType;
  labels?: UpdateLabels;
  now?: Date;
}

/** updateIp changes one of the project's IPs (name, description, labels, ephemeral → static). */
export async function updateIp(trx: Tx, project: string, id: string, u: IpUpdate): Promise<IP> {
  await lockForUpdate(trx, "ips", ipRef(id, "id"));
  const row = await ipRowForProject(trx, project, id);
  checkGeneration(`ip "${row.address}"`, row.generation, u.updateMeta?.generation);
  const next: IpRow = { ...row };
  if (u.name !== undefined) next.name = checkText(u.name, "name", 128);
  if (u.description !== undefined) next.description = checkText(u.description, "description");
  if (u.type !== undefined && u.type !== row.type) {
    if (u.type !== IPType.IP_TYPE_STATIC) {
      throw new ConnectError(
        `type: ip ${row.address} can only change from ephemeral to static; release it instead`,
        Code.InvalidArgument,
      );
    }
    next.type = IPType.IP_TYPE_STATIC;
  }
  next.labels = applyLabelUpdate(row.labels, u.labels);
  next.generation = row.generation + 1;
  next.updated_at = (u.now ?? new Date()).toISOString();
  await trx
    .updateTable("ips")
    .set({
      name: next.name,
      description: next.description,
      type: next.type,
      labels: next.labels,
      generation: next.generation,
      updated_at: next.updated_at,
    })
    .where("id", "=", row.id)
    .execute();
  return ipOf(next);
}

/**
 * releaseIp frees one of the project's IPs (by id or address). An IP attached to a machine is only
 * released when that machine's id is passed (machine deletion); otherwise FailedPrecondition.
 */
export async function releaseIp(
  trx: Tx,
  input: { project: string; id: string; machineId?: string },
): Promise<IP> {
  const row = await ipRowForProject(trx, input.project, input.id);
  if (row.machine_id && row.machine_id !== input.machineId) {
    throw new ConnectError(
      `ip ${row.address} is used by machine "${row.machine_id}"; delete the machine or detach the IP first`,
      Code.FailedPrecondition,
    );
  }
  await trx.deleteFrom("ips").where("id", "=", row.id).execute();
  return ipOf(row);
}

/**
 * attachIp marks one of the project's IPs (by id or address) as used by a machine; FailedPrecondition
 * when another machine already uses it.
 */
export async function attachIp(
  trx: Tx,
  input: { project: string; id: string; machineId: string; now?: Date },
): Promise<IP> {
  const row = await ipRowForProject(trx, input.project, input.id);
  if (row.machine_id && row.machine_id !== input.machineId) {
    throw new ConnectError(
      `ip ${row.address} is already used by machine "${row.machine_id}"`,
      Code.FailedPrecondition,
    );
  }
  const updated_at = (input.now ?? new Date()).toISOString();
  await trx
    .updateTable("ips")
    .set({ machine_id: input.machineId, updated_at, generation: row.generation + 1 })
    .where("id", "=", row.id)
    .execute();
  return ipOf({ ...row, machine_id: input.machineId, updated_at, generation: row.generation + 1 });
}

/**
 * releaseEphemeralIpsOfMachine frees every ephemeral IP of a machine and detaches its static IPs
 * (they stay in the project); returns the released ones.
 */
export async function releaseEphemeralIpsOfMachine(trx: Tx, machineId: string): Promise<IP[]> {
  const rows = await trx
    .selectFrom("ips")
    .selectAll()
    .where("machine_id", "=", machineId)
    .where("type", "=", IPType.IP_TYPE_EPHEMERAL)
    .execute();
  await trx
    .deleteFrom("ips")
    .where("machine_id", "=", machineId)
    .where("type", "=", IPType.IP_TYPE_EPHEMERAL)
    .execute();
  await trx
    .updateTable("ips")
    .set((eb) => ({ machine_id: null, generation: eb("generation", "+", 1) }))
    .where("machine_id", "=", machineId)
    .execute();
  return rows.map(ipOf);
}
