import { Code, ConnectError } from "@connectrpc/connect";
import type { Paging, UpdateLabels, UpdateMeta } from "../../gen/metalstack/api/v2/common_pb.js";
import { AddressFamily, type Network, NetworkType } from "../../gen/metalstack/api/v2/network_pb.js";
import { checkId, checkText, type Tx } from "../catalog/resource-meta.js";
import { applyLabelUpdate, checkLabels } from "../labels.js";
import type { Dialect } from "../store/db.js";
import { jsonKeyEquals } from "../store/json-filters.js";
import type { NetworkRow } from "../store/network-schema.js";
import { decodeTuplePageToken, pageOf, pageSize, tupleKey } from "../store/paging.js";
import { checkGeneration } from "../store/versioned-rows.js";
import { isUniqueViolation } from "../tenancy/trx.js";
import { bitsOf, type Family, formatPrefix, lastOf, overlaps, type Prefix, parsePrefix } from "./cidr.js";
import { lockNetwork } from "./network-lock.js";
import { networkOf, USABLE_BASE_TYPES } from "./network-view.js";

/** PrefixLengths are child prefix lengths per family; the ChildPrefixLength message fits too. */
export interface PrefixLengths {
  ipv4?: number;
  ipv6?: number;
}

/** NetworkFilter narrows network lists; unset fields do not filter. */
export interface NetworkFilter {
  type?: NetworkType;
  partition?: string;
  name?: string;
  project?: string;
  parentNetworkId?: string;
  /** Only the network holding exactly this prefix (any spelling of it). */
  prefix?: string;
  /** Every label given must match. */
  labels?: Record<string, string>;
}

function notFound(id: string): ConnectError {
  return new ConnectError(`network "${id}" not found`, Code.NotFound);
}

/**
 * getNetworkForProject returns a network the project may use: one of its own child networks or a
 * usable base network (external or super). Anything else, including other projects' networks and
 * underlays, is NotFound.
 */
export async function getNetworkForProject(trx: Tx, project: string, networkId: string): Promise<Network> {
  return networkOf(await networkRowForProject(trx, project, networkId));
}

/** networkRowForProject is getNetworkForProject returning the stored row. */
export async function networkRowForProject(trx: Tx, project: string, networkId: string): Promise<NetworkRow> {
  const row = await trx
    .selectFrom("networks")
    .selectAll()
    .where("id", "=", networkId)
    .where((eb) =>
      eb.or([
        eb("project", "=", project),
        eb.and([eb("project", "=", ""), eb("type", "in", [...USABLE_BASE_TYPES])]),
      ]),
    )
    .executeTakeFirst();
  if (!row || !project) throw notFound(networkId);
  return row;
}

/** getNetwork returns any network by id (operators); NotFound when it does not exist. */
export async function getNetwork(trx: Tx, networkId: string): Promise<Network> {
  const row = await trx.selectFrom("networks").selectAll().where("id", "=", networkId).executeTakeFirst();
  if (!row) throw notFound(networkId);
  return networkOf(row);
}

/** NetworkPage is one page of a network list and the token of the next page ("" on the last page). */
export interface NetworkPage {
  networks: Network[];
  nextPageToken: string;
}

type NetworkSelect = ReturnType<typeof selectNetworks>;

function selectNetworks(trx: Tx) {
  return trx.selectFrom("networks").selectAll();
}

/**
 * networkPage runs a filtered network query for one page in (project, name, id) order: base networks
 * (project "") first, then child networks by project and name. It continues after the token's row,
 * so networks created or deleted between pages neither repeat nor shift the rest.
 */
async function networkPage(q: NetworkSelect, paging: Paging | undefined): Promise<NetworkPage> {
  const size = pageSize(paging);
  if (paging?.pageToken) {
    const [project, name, id] = decodeTuplePageToken(paging.pageToken, "network", 3) as [
      string,
      string,
      string,
    ];
    q = q.where(({ eb, refTuple, tuple }) =>
      eb(refTuple("project", "name", "id"), ">", tuple(project, name, id)),
    );
  }
  const rows = await q
    .orderBy("project")
    .orderBy("name")
    .orderBy("id")
    .limit(size + 1)
    .execute();
  const page = pageOf(rows, size, (r) => tupleKey([r.project, r.name, r.id]));
  return { networks: page.rows.map(networkOf), nextPageToken: page.nextPageToken };
}

/**
 * listNetworksForProject returns one page of the usable base networks and the project's child
 * networks, filtered in SQL; the (project, type) index finds both kinds.
 */
export async function listNetworksForProject(
  trx: Tx,
  dialect: Dialect,
  project: string,
  f: NetworkFilter = {},
  paging?: Paging,
): Promise<NetworkPage> {
  const q = selectNetworks(trx).where((eb) =>
    eb.or([
      eb("project", "=", project),
      eb.and([eb("project", "=", ""), eb("type", "in", [...USABLE_BASE_TYPES])]),
    ]),
  );
  return networkPage(filterNetworks(q, dialect, f), paging);
}

/** listNetworks returns one page of all networks matching the filter (operators). */
export async function listNetworks(
  trx: Tx,
  dialect: Dialect,
  f: NetworkFilter = {},
  paging?: Paging,
): Promise<NetworkPage> {
  return networkPage(filterNetworks(selectNetworks(trx), dialect, f), paging);
}

function filterNetworks(q: NetworkSelect, dialect: Dialect, f: NetworkFilter): NetworkSelect {
  if (f.type !== undefined && f.type !== NetworkType.UNSPECIFIED) q = q.where("type", "=", f.type);
  if (f.partition !== undefined) q = q.where("partition", "=", f.partition);
  if (f.name !== undefined) q = q.where("name", "=", f.name);
  if (f.project !== undefined) q = q.where("project", "=", f.project);
  if (f.parentNetworkId !== undefined) q = q.where("parent_network_id", "=", f.parentNetworkId);
  if (f.prefix !== undefined) {
    const prefix = parsePrefix(f.prefix.trim());
    if (typeof prefix === "string") throw new ConnectError(`prefix: ${prefix}`, Code.InvalidArgument);
    const canonical = formatPrefix(prefix);
    q = q.where("id", "in", (eb) =>
      eb.selectFrom("network_prefixes").select("network_id").where("prefix", "=", canonical),
    );
  }
  for (const [key, value] of Object.entries(f.labels ?? {}))
    q = q.where(jsonKeyEquals(dialect, "labels", key, value));
  return q;
}

/** BaseNetworkInput describes a base network an operator creates. */
export interface BaseNetworkInput {
  id: string;
  type: NetworkType;
  partition: string;
  name: string;
  description: string;
  prefixes: string[];
  destinationPrefixes: string[];
  defaultChildPrefixLength?: PrefixLengths;
  vrf: number;
  nat: boolean;
  labels: Record<string, string>;
}

function parsePrefixes(texts: string[], field: string): Prefix[] {
  return texts.map((t, i) => {
    const p = parsePrefix(t);
    if (typeof p === "string") throw new ConnectError(`${field}[${i}]: ${p}`, Code.InvalidArgument);
    return p;
  });
}

function familyName(f: Family): string {
  return f === 4 ? "IPv4" : "IPv6";
}

function checkChildLength(
  lengths: PrefixLengths | undefined,
  prefixes: Prefix[],
  field: string,
): { v4: number | null; v6: number | null } {
  const out = { v4: lengths?.ipv4 ?? null, v6: lengths?.ipv6 ?? null };
  for (const family of [4, 6] as const) {
    const len = family === 4 ? out.v4 : out.v6;
    const own = prefixes.filter((p) => p.family === family);
    if (len === null) {
      if (own.length > 0) {
        throw new ConnectError(
          `${field}.ipv${family}: required, the network has ${familyName(family)} prefixes`,
          Code.InvalidArgument,
        );
      }
      continue;
    }
    if (own.length === 0) {
      throw new ConnectError(
        `${field}.ipv${family}: the network has no ${familyName(family)} prefix`,
        Code.InvalidArgument,
      );
    }
    const shortest = Math.min(...own.map((p) => p.length));
    if (len > bitsOf(family) || len < shortest) {
      throw new ConnectError(
        `${field}.ipv${family}: ${len} must be between ${shortest} and ${bitsOf(family)}`,
        Code.InvalidArgument,
      );
    }
  }
  return out;
}

/**
 * createBaseNetwork adds an external, super or underlay network. Its prefixes must not overlap any
 * other network's prefix; super networks need a default child prefix length per family.
 */
export async function createBaseNetwork(
  trx: Tx,
  input: BaseNetworkInput,
  now = new Date(),
): Promise<Network> {
  if (![NetworkType.EXTERNAL, NetworkType.SUPER, NetworkType.UNDERLAY].includes(input.type)) {
    throw new ConnectError(
      "type: must be NETWORK_TYPE_EXTERNAL, NETWORK_TYPE_SUPER or NETWORK_TYPE_UNDERLAY; child networks are allocated by projects",
      Code.InvalidArgument,
    );
  }
  checkId(input.id);
  if (input.prefixes.length === 0)
    throw new ConnectError("prefixes: at least one is required", Code.InvalidArgument);
  const prefixes = parsePrefixes(input.prefixes, "prefixes");
  const destinations = parsePrefixes(input.destinationPrefixes, "destination_prefixes");
  for (const [i, a] of prefixes.entries()) {
    for (const b of prefixes.slice(i + 1)) {
      if (overlaps(a, b)) {
        throw new ConnectError(
          `prefixes: ${formatPrefix(a)} overlaps ${formatPrefix(b)}`,
          Code.InvalidArgument,
        );
      }
    }
  }
  const lengths =
    input.type === NetworkType.SUPER
      ? checkChildLength(input.defaultChildPrefixLength, prefixes, "default_child_prefix_length")
      : { v4: null, v6: null };
  if (input.partition) {
    const p = await trx
      .selectFrom("partitions")
      .select("id")
      .where("id", "=", input.partition)
      .executeTakeFirst();
    if (!p) throw new ConnectError(`partition "${input.partition}" not found`, Code.NotFound);
  }
  // Base networks are created rarely and by operators; comparing against every stored prefix is fine.
  const existing = await trx.selectFrom("network_prefixes").select(["prefix", "network_id"]).execute();
  for (const p of prefixes) {
    for (const e of existing) {
      const other = parsePrefix(e.prefix) as Prefix;
      if (overlaps(p, other)) {
        throw new ConnectError(
          `prefixes: ${formatPrefix(p)} overlaps ${e.prefix} of network "${e.network_id}"`,
          Code.AlreadyExists,
        );
      }
    }
  }
  const ts = now.toISOString();
  const row: NetworkRow = {
    id: input.id,
    project: "",
    partition: input.partition,
    parent_network_id: null,
    name: checkText(input.name, "name", 128),
    description: checkText(input.description, "description"),
    type: input.type,
    prefixes: JSON.stringify(prefixes.map(formatPrefix)),
    destination_prefixes: JSON.stringify(destinations.map(formatPrefix)),
    child_length_v4: lengths.v4,
    child_length_v6: lengths.v6,
    vrf: input.vrf,
    nat: input.nat ? 1 : 0,
    labels: JSON.stringify(checkLabels(input.labels)),
    generation: 1,
    created_at: ts,
    updated_at: ts,
  };
  try {
    await trx.insertInto("networks").values(row).execute();
    await trx
      .insertInto("network_prefixes")
      .values(
        prefixes.map((p) => ({
          prefix: formatPrefix(p),
          network_id: input.id,
          parent_network_id: null,
          family: p.family,
        })),
      )
      .execute();
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new ConnectError(
        `network "${input.id}" or one of its prefixes already exists`,
        Code.AlreadyExists,
      );
    }
    throw err;
  }
  return networkOf(row);
}

/** ChildNetworkInput describes a child network a project allocates from a super network. */
export interface ChildNetworkInput {
  project: string;
  /** Super network to carve from; when empty, the only super network of `partition`. */
  parentNetworkId?: string;
  partition?: string;
  name?: string;
  description?: string;
  labels?: Record<string, string>;
  /** Overrides the parent's default child prefix lengths. */
  length?: PrefixLengths;
  /** Restricts the child to one family; unspecified takes every family of the parent. */
  addressFamily?: AddressFamily;
}

async function resolveSuper(trx: Tx, input: ChildNetworkInput): Promise<NetworkRow> {
  if (input.parentNetworkId) {
    const row = await networkRowForProject(trx, input.project, input.parentNetworkId);
    if (row.type !== NetworkType.SUPER) {
      throw new ConnectError(
        `parent_network_id: network "${row.id}" is not a super network; list them with type NETWORK_TYPE_SUPER`,
        Code.InvalidArgument,
      );
    }
    return row;
  }
  if (!input.partition) {
    throw new ConnectError(
      "parent_network_id or partition: name the super network to allocate from",
      Code.InvalidArgument,
    );
  }
  const rows = await trx
    .selectFrom("networks")
    .selectAll()
    .where("project", "=", "")
    .where("type", "=", NetworkType.SUPER)
    .where("partition", "=", input.partition)
    .execute();
  if (rows.length === 0) {
    throw new ConnectError(
      `partition "${input.partition}" has no super network to allocate from`,
      Code.NotFound,
    );
  }
  if (rows.length > 1) {
    throw new ConnectError(
      `parent_network_id: partition "${input.partition}" has several super networks (${rows.map((r) => r.id).join(", ")}); name one`,
      Code.InvalidArgument,
    );
  }
  return rows[0]!;
}

/**
 * firstFreeBlock returns the lowest aligned block of `length` inside `within` that overlaps none of
 * `taken`, or undefined when the prefix is full.
 */
function firstFreeBlock(within: Prefix, length: number, taken: Prefix[]): Prefix | undefined {
  const size = 1n << BigInt(bitsOf(within.family) - length);
  const sorted = taken.filter((t) => overlaps(t, within)).sort((a, b) => (a.base < b.base ? -1 : 1));
  let candidate = within.base;
  const end = lastOf(within);
  for (const t of sorted) {
    if (candidate + size - 1n > end) return undefined;
    const block: Prefix = { family: within.family, base: candidate, length };
    if (!overlaps(block, t)) {
      if (candidate + size - 1n < t.base) return block;
    }
    const after = lastOf(t) + 1n;
    if (after > candidate) candidate = ((after + size - 1n) / size) * size;
  }
  return candidate + size - 1n <= end ? { family: within.family, base: candidate, length } : undefined;
}

/**
 * allocateChildNetwork carves a child network for a project out of a super network, one prefix per
 * family, never overlapping a sibling. Concurrent calls serialize on the super network (see
 * lockNetwork); a full super network gives ResourceExhausted naming it.
 */
export async function allocateChildNetwork(
  trx: Tx,
  input: ChildNetworkInput,
  now = new Date(),
): Promise<Network> {
  if (!input.project) throw new ConnectError("project: required", Code.InvalidArgument);
  const parent = await resolveSuper(trx, input);
  await lockNetwork(trx, parent.id);
  const parentPrefixes = (JSON.parse(parent.prefixes) as string[]).map((t) => parsePrefix(t) as Prefix);
  let families: Family[] = [...new Set(parentPrefixes.map((p) => p.family))].sort();
  if (input.addressFamily === AddressFamily.V4 || input.addressFamily === AddressFamily.V6) {
    const wanted: Family = input.addressFamily === AddressFamily.V4 ? 4 : 6;
    if (!families.includes(wanted)) {
      throw new ConnectError(
        `address_family: super network "${parent.id}" has no ${familyName(wanted)} prefix`,
        Code.InvalidArgument,
      );
    }
    families = [wanted];
  }
  const carved: Prefix[] = [];
  for (const family of families) {
    const length =
      (family === 4 ? input.length?.ipv4 : input.length?.ipv6) ??
      (family === 4 ? parent.child_length_v4 : parent.child_length_v6);
    const own = parentPrefixes.filter((p) => p.family === family);
    if (length === null || length === undefined) {
      throw new ConnectError(
        `length.ipv${family}: super network "${parent.id}" has no default ${familyName(family)} child prefix length; give one`,
        Code.InvalidArgument,
      );
    }
    const shortest = Math.min(...own.map((p) => p.length));
    if (length > bitsOf(family) || length < shortest) {
      throw new ConnectError(
        `length.ipv${family}: ${length} must be between ${shortest} and ${bitsOf(family)} for super network "${parent.id}"`,
        Code.InvalidArgument,
      );
    }
    const siblings = await trx
      .selectFrom("network_prefixes")
      .select("prefix")
      .where("parent_network_id", "=", parent.id)
      .where("family", "=", family)
      .execute();
    const taken = siblings.map((s) => parsePrefix(s.prefix) as Prefix);
    let found: Prefix | undefined;
    for (const p of own) {
      if (p.length > length) continue;
      found = firstFreeBlock(p, length, taken);
      if (found) break;
    }
    if (!found) {
      throw new ConnectError(
        `super network "${parent.id}" has no free /${length} ${familyName(family)} prefix left`,
        Code.ResourceExhausted,
      );
    }
    carved.push(found);
  }
  const ts = now.toISOString();
  const id = crypto.randomUUID();
  const row: NetworkRow = {
    id,
    project: input.project,
    partition: parent.partition,
    parent_network_id: parent.id,
    name: checkText(input.name ?? "", "name", 128),
    description: checkText(input.description ?? "", "description"),
    type: NetworkType.CHILD,
    prefixes: JSON.stringify(carved.map(formatPrefix)),
    destination_prefixes: "[]",
    child_length_v4: null,
    child_length_v6: null,
    vrf: parent.vrf,
    nat: 0,
    labels: JSON.stringify(checkLabels(input.labels ?? {})),
    generation: 1,
    created_at: ts,
    updated_at: ts,
  };
  await trx.insertInto("networks").values(row).execute();
  await trx
    .insertInto("network_prefixes")
    .values(
      carved.map((p) => ({
        prefix: formatPrefix(p),
        network_id: id,
        parent_network_id: parent.id,
        family: p.family,
      })),
    )
    .execute();
  return networkOf(row);
}

/** NetworkUpdate lists the changes to a network; unset fields stay. */
export interface NetworkUpdate {
  updateMeta?: UpdateMeta;
  name?: string;
  description?: string;
  labels?: UpdateLabels;
  destinationPrefixes?: string[];
  defaultChildPrefixLength?: PrefixLengths;
  nat?: boolean;
}

/** applyNetworkUpdate changes a network row read after lockNetwork in the same transaction. */
async function applyNetworkUpdate(trx: Tx, row: NetworkRow, u: NetworkUpdate, now: Date): Promise<Network> {
  checkGeneration(`network "${row.id}"`, row.generation, u.updateMeta?.generation);
  const next: NetworkRow = { ...row };
  if (u.name !== undefined) next.name = checkText(u.name, "name", 128);
  if (u.description !== undefined) next.description = checkText(u.description, "description");
  next.labels = applyLabelUpdate(row.labels, u.labels);
  if (u.destinationPrefixes && u.destinationPrefixes.length > 0) {
    next.destination_prefixes = JSON.stringify(
      parsePrefixes(u.destinationPrefixes, "destination_prefixes").map(formatPrefix),
    );
  }
  if (u.defaultChildPrefixLength) {
    if (row.type !== NetworkType.SUPER) {
      throw new ConnectError(
        `default_child_prefix_length: only super networks have one, "${row.id}" is not`,
        Code.InvalidArgument,
      );
    }
    const prefixes = (JSON.parse(row.prefixes) as string[]).map((t) => parsePrefix(t) as Prefix);
    const l = checkChildLength(u.defaultChildPrefixLength, prefixes, "default_child_prefix_length");
    next.child_length_v4 = l.v4;
    next.child_length_v6 = l.v6;
  }
  if (u.nat !== undefined) next.nat = u.nat ? 1 : 0;
  next.generation = row.generation + 1;
  next.updated_at = now.toISOString();
  await trx
    .updateTable("networks")
    .set({
      name: next.name,
      description: next.description,
      labels: next.labels,
      destination_prefixes: next.destination_prefixes,
      child_length_v4: next.child_length_v4,
      child_length_v6: next.child_length_v6,
      nat: next.nat,
      generation: next.generation,
      updated_at: next.updated_at,
    })
    .where("id", "=", row.id)
    .execute();
  return networkOf(next);
}

/** updateChildNetwork changes name, description or labels of one of the project's child networks. */
export async function updateChildNetwork(
  trx: Tx,
  project: string,
  networkId: string,
  u: Pick<NetworkUpdate, "updateMeta" | "name" | "description" | "labels">,
  now = new Date(),
): Promise<Network> {
  await lockNetwork(trx, networkId);
  const row = await networkRowForProject(trx, project, networkId);
  if (row.project !== project) {
    throw new ConnectError(
      `network "${networkId}" is a base network; only operators can change it`,
      Code.PermissionDenied,
    );
  }
  return applyNetworkUpdate(trx, row, u, now);
}

/** updateBaseNetwork changes a base network (operators). */
export async function updateBaseNetwork(
  trx: Tx,
  networkId: string,
  u: NetworkUpdate,
  now = new Date(),
): Promise<Network> {
  await lockNetwork(trx, networkId);
  const row = await trx.selectFrom("networks").selectAll().where("id", "=", networkId).executeTakeFirst();
  if (!row) throw notFound(networkId);
  if (row.project !== "") {
    throw new ConnectError(
      `network "${networkId}" is a child network of project "${row.project}"`,
      Code.InvalidArgument,
    );
  }
  return applyNetworkUpdate(trx, row, u, now);
}

async function deleteNetworkRow(trx: Tx, row: NetworkRow): Promise<Network> {
  await lockNetwork(trx, row.id);
  const ip = await trx
    .selectFrom("ips")
    .select("address")
    .where("network_id", "=", row.id)
    .limit(1)
    .executeTakeFirst();
  if (ip) {
    throw new ConnectError(
      `network "${row.id}" still has allocated IPs (e.g. ${ip.address}); release them first`,
      Code.FailedPrecondition,
    );
  }
  const child = await trx
    .selectFrom("networks")
    .select("id")
    .where("parent_network_id", "=", row.id)
    .limit(1)
    .executeTakeFirst();
  if (child) {
    throw new ConnectError(
      `network "${row.id}" still has child networks (e.g. "${child.id}"); delete them first`,
      Code.FailedPrecondition,
    );
  }
  await trx.deleteFrom("network_prefixes").where("network_id", "=", row.id).execute();
  await trx.deleteFrom("networks").where("id", "=", row.id).execute();
  return networkOf(row);
}

/** deleteChildNetwork releases one of the project's child networks and its prefixes; it must hold no IPs. */
export async function deleteChildNetwork(trx: Tx, project: string, networkId: string): Promise<Network> {
  const row = await networkRowForProject(trx, project, networkId);
  if (row.project !== project) {
    throw new ConnectError(
      `network "${networkId}" is a base network; only operators can delete it`,
      Code.PermissionDenied,
    );
  }
  return deleteNetworkRow(trx, row);
}

/** deleteBaseNetwork removes a base network without child networks and IPs (operators). */
export async function deleteBaseNetwork(trx: Tx, networkId: string): Promise<Network> {
  const row = await trx.selectFrom("networks").selectAll().where("id", "=", networkId).executeTakeFirst();
  if (!row) throw notFound(networkId);
  if (row.project !== "") {
    throw new ConnectError(
      `network "${networkId}" is a child network of project "${row.project}"`,
      Code.InvalidArgument,
    );
  }
  return deleteNetworkRow(trx, row);
}
