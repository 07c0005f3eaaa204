import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Expression, SqlBool } from "kysely";
import type { Paging } from "../../gen/metalstack/api/v2/common_pb.js";
import {
  type Firewall,
  FirewallSchema,
  type FirewallServiceCreateRequest,
  type FirewallServiceUpdateRulesRequest,
} from "../../gen/metalstack/api/v2/firewall_pb.js";
import {
  type MachineQuery,
  MachineServiceCreateRequestSchema,
} from "../../gen/metalstack/api/v2/machine_pb.js";
import type { AppContext } from "../context.js";
import { allocateMachine } from "../machines/allocate.js";
import { freeMachine } from "../machines/free.js";
import { machineConditions } from "../machines/machine-filter.js";
import { projectMachineView } from "../machines/project-view.js";
import type { FirewallRulesRow } from "../store/firewall-schema.js";
import type { MachineRow } from "../store/machine-schema.js";
import { decodePageToken, pageOf, pageSize } from "../store/paging.js";
import { checkGeneration, lockForUpdate } from "../store/versioned-rows.js";
import type { Executor } from "../tenancy/trx.js";
import { requireExternalNetwork, resolveFirewallCatalog } from "./firewall-catalog.js";
import { rulesToProto, validateRules } from "./rules.js";

interface FirewallRows {
  machine: MachineRow;
  rules: FirewallRulesRow;
}

/**
 * FirewallSelection narrows findFirewalls to one id, or to a page: `limit` rows after the id `after`
 * whose machine (alias `m`) meets every condition.
 */
interface FirewallSelection {
  id?: string;
  after?: string;
  limit?: number;
  conditions?: Expression<SqlBool>[];
}

/**
 * findFirewalls returns the project's machines whose current allocation is a firewall, with their
 * rules, in id order; the (project) index of firewall_rules finds them.
 */
async function findFirewalls(
  db: Executor,
  project: string,
  sel: FirewallSelection = {},
): Promise<FirewallRows[]> {
  const { id, after, limit, conditions = [] } = sel;
  let query = db
    .selectFrom("firewall_rules as f")
    .innerJoin("machines as m", (j) =>
      j.onRef("m.id", "=", "f.machine_id").onRef("m.allocation_id", "=", "f.allocation_id"),
    )
    .selectAll("f")
    .where("f.project", "=", project)
    .where("m.project", "=", project)
    .$if(id !== undefined, (q) => q.where("f.machine_id", "=", (id ?? "").toLowerCase()))
    .$if(after !== undefined, (q) => q.where("f.machine_id", ">", after ?? ""))
    .orderBy("f.machine_id")
    .$if(limit !== undefined, (q) => q.limit(limit ?? 0));
  for (const condition of conditions) query = query.where(condition);
  const rules = await query.execute();
  if (rules.length === 0) return [];
  const machines = await db
    .selectFrom("machines")
    .selectAll()
    .where(
      "id",
      "in",
      rules.map((r) => r.machine_id),
    )
    .execute();
  const byId = new Map(machines.map((m) => [m.id, m]));
  return rules.flatMap((r) => {
    const machine = byId.get(r.machine_id);
    return machine ? [{ machine, rules: r }] : [];
  });
}

async function requireFirewall(db: Executor, project: string, id: string): Promise<FirewallRows> {
  if (!id) throw new ConnectError("uuid: name the firewall", Code.InvalidArgument);
  const [found] = await findFirewalls(db, project, { id });
  if (!found) throw new ConnectError(`firewall ${id} not found in project ${project}`, Code.NotFound);
  return found;
}

async function toProto(ctx: AppContext, rows: FirewallRows): Promise<Firewall> {
  return create(FirewallSchema, {
    machine: await projectMachineView(ctx, rows.machine),
    rules: rulesToProto(rows.rules.rules),
    rulesGeneration: BigInt(rows.rules.generation),
  });
}

/**
 * createFirewall allocates a machine through the machine allocation with a firewall image, at
 * least one external network besides the child network, and stores the validated rules in the
 * same transaction.
 */
export async function createFirewall(
  ctx: AppContext,
  createdBy: string,
  req: FirewallServiceCreateRequest,
): Promise<Firewall> {
  const rules = validateRules("rules", req.rules);
  const machineReq = create(MachineServiceCreateRequestSchema, {
    project: req.project,
    name: req.name,
    description: req.description,
    hostname: req.hostname,
    partition: req.partition,
    size: req.size,
    image: req.image,
    filesystemLayout: req.filesystemLayout,
    networks: req.networks,
    ips: req.ips,
    sshPublicKeys: req.sshPublicKeys,
    userdata: req.userdata,
    labels: req.labels,
  });
  await requireExternalNetwork(
    ctx,
    req.project,
    req.networks.map((n) => n.network),
  );
  const machine = await allocateMachine(ctx, createdBy, machineReq, {
    resolveCatalog: resolveFirewallCatalog,
    inTransaction: async (trx, row) => {
      await trx
        .insertInto("firewall_rules")
        .values({
          machine_id: row.id,
          allocation_id: row.allocation_id ?? "",
          project: req.project,
          rules: JSON.stringify(rules),
          generation: 1,
          updated_at: ctx.now().toISOString(),
        })
        .onConflict((oc) =>
          oc.column("machine_id").doUpdateSet({
            allocation_id: row.allocation_id ?? "",
            project: req.project,
            rules: JSON.stringify(rules),
            generation: 1,
            updated_at: ctx.now().toISOString(),
          }),
        )
        .execute();
    },
  });
  return getFirewall(ctx, req.project, machine.id);
}

/** getFirewall returns one firewall of the project, or NotFound (also for plain machines and other projects). */
export async function getFirewall(ctx: AppContext, project: string, id: string): Promise<Firewall> {
  return toProto(ctx, await requireFirewall(ctx.db.kysely, project, id));
}

/** FirewallPage is one page of a firewall list and the token of the next page ("" on the last page). */
export interface FirewallPage {
  firewalls: Firewall[];
  nextPageToken: string;
}

/**
 * listFirewalls returns one page of the project's firewalls in id order, continuing after the id in
 * the page token (the machine list's token format: both are machine ids).
 */
export async function listFirewalls(
  ctx: AppContext,
  project: string,
  paging: Paging | undefined,
  filter?: MachineQuery,
): Promise<FirewallPage> {
  const conditions = machineConditions(ctx.db.dialect, filter, "m");
  const size = pageSize(paging);
  const after = paging?.pageToken
    ? decodePageToken(paging.pageToken, "firewall", (id) => /^[0-9a-f-]{36}$/.test(id))
    : undefined;
  const found = await findFirewalls(ctx.db.kysely, project, { after, limit: size + 1, conditions });
  const { rows, nextPageToken } = pageOf(found, size, (r) => r.machine.id);
  return { firewalls: await Promise.all(rows.map((r) => toProto(ctx, r))), nextPageToken };
}

/** deleteFirewall frees the firewall's machine like a machine delete and drops its rules. */
export async function deleteFirewall(ctx: AppContext, project: string, id: string): Promise<Firewall> {
  const before = await toProto(ctx, await requireFirewall(ctx.db.kysely, project, id));
  await freeMachine(ctx, project, id);
  await ctx.db.kysely.deleteFrom("firewall_rules").where("machine_id", "=", id.toLowerCase()).execute();
  return before;
}

/**
 * updateFirewallRules replaces all rules of a firewall. A non-zero update_meta.generation must
 * equal the rules' generation (optimistic locking); 0 lets the last writer win.
 */
export async function updateFirewallRules(
  ctx: AppContext,
  req: FirewallServiceUpdateRulesRequest,
): Promise<Firewall> {
  const rules = validateRules("rules", req.rules);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await lockForUpdate(trx, "firewall_rules", { column: "machine_id", value: req.uuid.toLowerCase() });
    const current = await requireFirewall(trx, req.project, req.uuid);
    const stored = current.rules.generation;
    checkGeneration(`firewall ${current.machine.id}`, stored, req.updateMeta?.generation);
    await trx
      .updateTable("firewall_rules")
      .set({ rules: JSON.stringify(rules), generation: stored + 1, updated_at: ctx.now().toISOString() })
      .where("machine_id", "=", current.machine.id)
      .execute();
  });
  return getFirewall(ctx, req.project, req.uuid);
}
