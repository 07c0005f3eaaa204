import { Code, ConnectError } from "@connectrpc/connect";
import type { SelectQueryBuilder } from "kysely";
import type { Paging } from "../../gen/metalstack/api/v2/common_pb.js";
import type { MachineQuery } from "../../gen/metalstack/api/v2/machine_pb.js";
import { firewallIdsAmong } from "../firewalls/firewall-ids.js";
import type { Dialect } from "../store/db.js";
import type { MachineRow } from "../store/machine-schema.js";
import { decodePageToken, encodePageToken, pageSize } from "../store/paging.js";
import type { Database } from "../store/schema.js";
import type { Executor } from "../tenancy/trx.js";
import { machineConditions } from "./machine-filter.js";

type MachineSelect = SelectQueryBuilder<Database, "machines", MachineRow>;

/** ProjectMachineOptions say whether a firewall (a machine allocated as one) counts as a machine. */
export interface ProjectMachineOptions {
  /** Power, boot, LED, events and watch act on a firewall's machine too; get, update, reinstall and delete do not. */
  firewalls: "refuse" | "include";
}

/**
 * getProjectMachine returns a machine allocated in the project, or NotFound (also for other
 * projects' machines). A firewall is refused with a pointer to the firewall service unless included.
 */
export async function getProjectMachine(
  db: Executor,
  project: string,
  id: string,
  opts: ProjectMachineOptions = { firewalls: "refuse" },
): Promise<MachineRow> {
  if (!id) throw new ConnectError("uuid: name the machine", Code.InvalidArgument);
  // One query: a firewall is a machine whose current allocation has a firewall_rules row.
  const found = await db
    .selectFrom("machines as m")
    .leftJoin("firewall_rules as f", (j) =>
      j.onRef("f.machine_id", "=", "m.id").onRef("f.allocation_id", "=", "m.allocation_id"),
    )
    .selectAll("m")
    .select("f.machine_id as firewall")
    .where("m.project", "=", project)
    .where("m.id", "=", id.toLowerCase())
    .executeTakeFirst();
  if (!found) throw new ConnectError(`machine ${id} not found in project ${project}`, Code.NotFound);
  const { firewall, ...row } = found;
  if (opts.firewalls === "refuse" && firewall !== null) {
    throw new ConnectError(
      `machine ${row.id} is a firewall; use the firewall service for it (metalctl firewall describe|update-rules|delete ${row.id})`,
      Code.FailedPrecondition,
    );
  }
  return row;
}

/** getMachine returns any machine by id (operators and agents), or NotFound. */
export async function getMachine(db: Executor, id: string): Promise<MachineRow> {
  if (!id) throw new ConnectError("uuid: name the machine", Code.InvalidArgument);
  const row = await db
    .selectFrom("machines")
    .selectAll()
    .where("id", "=", id.toLowerCase())
    .executeTakeFirst();
  if (!row) throw new ConnectError(`machine ${id} not found`, Code.NotFound);
  return row;
}

/** MachineListScope restricts a list: a project's machines only, or (operators) a tenant's, free or allocated ones. */
export interface MachineListScope {
  project?: string;
  tenant?: string;
  allocation?: "allocated" | "free";
}

/**
 * machineListQuery builds the query of one page (limit rows in id order after the cursor). With a
 * project it runs on the (project, id) index, so its cost follows that project's machines only.
 */
export function machineListQuery(
  db: Executor,
  dialect: Dialect,
  scope: MachineListScope,
  query: MachineQuery | undefined,
  after: string | undefined,
  limit: number,
): MachineSelect {
  let q: MachineSelect = db.selectFrom("machines").selectAll();
  if (scope.project !== undefined) q = q.where("project", "=", scope.project);
  if (scope.allocation === "allocated") q = q.where("project", "is not", null);
  if (scope.allocation === "free") q = q.where("project", "is", null);
  if (scope.tenant !== undefined) {
    const tenant = scope.tenant;
    q = q.where("project", "in", (eb) =>
      eb.selectFrom("projects").select("id").where("tenant_id", "=", tenant),
    );
  }
  for (const condition of machineConditions(dialect, query)) q = q.where(condition);
  if (after) q = q.where("id", ">", after);
  return q.orderBy("id").limit(limit);
}

/** listMachines returns one page of machines in id order and the token of the next page. */
export async function listMachines(
  db: Executor,
  dialect: Dialect,
  scope: MachineListScope,
  query: MachineQuery | undefined,
  paging: Paging | undefined,
): Promise<{ rows: MachineRow[]; nextPageToken: string }> {
  const size = pageSize(paging);
  const after = paging?.pageToken
    ? decodePageToken(paging.pageToken, "machine", (id) => /^[0-9a-f-]{36}$/.test(id))
    : undefined;
  const rows = await machineListQuery(db, dialect, scope, query, after, size + 1).execute();
  const more = rows.length > size;
  const page = more ? rows.slice(0, size) : rows;
  const nextPageToken = more ? encodePageToken(page[page.length - 1]!.id) : "";
  if (scope.project === undefined) return { rows: page, nextPageToken };
  // A project's machine list leaves out its firewalls (FirewallService lists them), like metal-stack;
  // such a page may hold fewer rows than asked for, the cursor still follows the unfiltered order.
  const firewalls = await firewallIdsAmong(db, page);
  return { rows: page.filter((r) => !firewalls.has(r.id)), nextPageToken };
}
