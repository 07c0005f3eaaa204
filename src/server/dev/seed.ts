import { AdminRole, TenantRole } from "../../gen/metalstack/api/v2/common_pb.js";
import { MachineProvisioningEventType } from "../../gen/metalstack/api/v2/machine_pb.js";
import { AgentService } from "../../gen/metalstack/infra/v2/agent_pb.js";
import { SUPER_ADMIN_ID } from "../../idp/bootstrap.js";
import { getSize } from "../catalog/sizes.js";
import { type AppContext, membershipChanged } from "../context.js";
import { allocateChildNetwork } from "../ipam/networks.js";
import { createProject } from "../tenancy/projects.js";
import { tenantRepo } from "../tenancy/tenant-repo.js";
import { ensureUser } from "../tenancy/users.js";
import { demoMachines } from "./demo-machines.js";
import { DEMO_NETWORKS, DEMO_PARTITION, DEMO_SIZES, seedCatalog } from "./seed-catalog.js";
import { startSimulator } from "./simulator.js";

/** DEMO_USER_ID is the user that owns the demo project; its personal tenant holds the project. */
export const DEMO_USER_ID = "demo";
/** DEMO_PROJECT_NAME is the name of the demo project in the demo user's tenant. */
const DEMO_PROJECT_NAME = "demo";
/** SIMULATOR_USER_ID is the service user whose narrowly scoped token the simulator uses. */
export const SIMULATOR_USER_ID = "machine-simulator";

/** DevOptions tune the dev environment; tests make it fast and small. */
export interface DevOptions {
  /** Pause between two provisioning steps of a simulated machine (default 500 ms: a few seconds end to end). */
  stepDelayMs: number;
  heartbeatMs: number;
  pollMs: number;
  /** Number of simulated machines (default 12, spread over 3 racks and the seeded sizes). */
  machines: number;
  racks: string[];
}

/** devOptionsFromEnv reads METAL_DEV_STEP_DELAY_MS and METAL_DEV_MACHINES over the defaults. */
export function devOptionsFromEnv(env: NodeJS.ProcessEnv): DevOptions {
  const num = (name: string, fallback: number) => {
    const v = env[name];
    if (v === undefined || v === "") return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name}: must be a non-negative integer, got "${v}"`);
    return n;
  };
  const stepDelayMs = num("METAL_DEV_STEP_DELAY_MS", 500);
  return {
    stepDelayMs,
    heartbeatMs: 30_000,
    pollMs: Math.max(100, Math.min(stepDelayMs, 1000)),
    machines: num("METAL_DEV_MACHINES", 12),
    racks: ["rack-1", "rack-2", "rack-3"],
  };
}

/** DevEnvironment is the running demo: the seeded ids and the simulator. */
export interface DevEnvironment {
  projectId: string;
  partition: string;
  machineIds: string[];
  /** Resolves once the simulator stopped (after ctx.shutdown). */
  stopped: Promise<void>;
}

// Every agent method: registration, events, tasks and the consoles.
const SIMULATOR_METHODS = AgentService.methods.map((m) => `/${AgentService.typeName}/${m.name}`);

/**
 * startDevEnvironment seeds the catalog, a demo user with a demo project, and a pool of machines
 * that a simulator registers and boots into the waiting pool through the API at `apiUrl` (where this
 * process listens: the public URL may name a proxy in front of it), with an API token that may call the
 * agent methods only. It resolves when the pool waits; the simulator stops on ctx.shutdown.
 */
export async function startDevEnvironment(
  ctx: AppContext,
  apiUrl: string,
  opts: DevOptions,
): Promise<DevEnvironment> {
  await seedCatalog(ctx);
  const projectId = await seedDemoProject(ctx);
  await ensureUser(ctx, {
    id: SIMULATOR_USER_ID,
    name: "machine simulator",
    email: "",
    adminRole: AdminRole.EDITOR,
  });
  // One simulator token at a time: the one of a previous run is revoked.
  await ctx.tokens.revokeUser(SIMULATOR_USER_ID);
  const { secret } = await ctx.tokens.issueApiToken({
    userId: SIMULATOR_USER_ID,
    description: "dev machine simulator: agent methods only",
    permissions: [{ subject: "*", methods: SIMULATOR_METHODS }],
    expiresAt: new Date(ctx.now().getTime() + 7 * 24 * 60 * 60 * 1000),
  });
  const sizes = await Promise.all(DEMO_SIZES.map((id) => getSize(ctx.db.kysely, id)));
  const simulator = startSimulator({
    baseUrl: apiUrl,
    token: secret,
    stepDelayMs: opts.stepDelayMs,
    heartbeatMs: opts.heartbeatMs,
    pollMs: opts.pollMs,
    signal: ctx.shutdown,
    log: ctx.log,
  });
  const machines = demoMachines(DEMO_PARTITION, sizes, opts.racks, opts.machines);
  const allocated = new Set(
    (
      await ctx.db.kysely
        .selectFrom("machines")
        .select("id")
        .where("project", "is not", null)
        .where("last_event", "=", MachineProvisioningEventType.PHONED_HOME)
        .execute()
    ).map((r) => r.id),
  );
  await Promise.all(machines.map((m) => simulator.addMachine(m, { running: allocated.has(m.uuid) })));
  ctx.log.info("dev environment ready", {
    project: projectId,
    partition: DEMO_PARTITION,
    machines: machines.length,
  });
  return {
    projectId,
    partition: DEMO_PARTITION,
    machineIds: machines.map((m) => m.uuid),
    stopped: simulator.stopped,
  };
}

/**
 * seedDemoProject creates, once, the demo user (with its personal tenant) and the demo project with
 * a child network in the demo partition, so `machine create` works right away. The super-admin, when
 * the embedded provider created one, becomes an owner of the demo tenant at the same time: the
 * README's first steps log in as it and select the demo project.
 */
async function seedDemoProject(ctx: AppContext): Promise<string> {
  await ensureUser(ctx, { id: DEMO_USER_ID, name: "Demo User", email: "demo@example.com" });
  const existing = await ctx.db.kysely
    .selectFrom("projects")
    .select("id")
    .where("tenant_id", "=", DEMO_USER_ID)
    .where("name", "=", DEMO_PROJECT_NAME)
    .executeTakeFirst();
  const projectId = existing?.id ?? (await createDemoProject(ctx));
  const network = await ctx.db.kysely
    .selectFrom("networks")
    .select("id")
    .where("project", "=", projectId)
    .executeTakeFirst();
  if (!network) {
    await allocateChildNetwork(
      ctx.db.kysely,
      { project: projectId, parentNetworkId: DEMO_NETWORKS.tenantSuper, name: "demo-net" },
      ctx.now(),
    );
  }
  return projectId;
}

/** createDemoProject creates the demo project and makes the super-admin (if any) an owner of its tenant. */
async function createDemoProject(ctx: AppContext): Promise<string> {
  const project = await createProject(ctx, DEMO_USER_ID, DEMO_USER_ID, {
    name: DEMO_PROJECT_NAME,
    description: "demo project with a child network, ready for `metalctl machine create`",
    labels: {},
  });
  const admin = await ctx.db.kysely
    .selectFrom("users")
    .select("id")
    .where("id", "=", SUPER_ADMIN_ID)
    .executeTakeFirst();
  const demoTenant = tenantRepo(ctx.db.kysely, DEMO_USER_ID);
  if (admin && !(await demoTenant.member(admin.id))) {
    await demoTenant.addMember({
      user_id: admin.id,
      role: TenantRole.OWNER,
      created_at: ctx.now().toISOString(),
    });
    membershipChanged(ctx, admin.id);
  }
  return project.id;
}
