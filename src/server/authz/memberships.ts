import type { AppContext } from "../context.js";

/** Holdings are what a user currently holds: admin role, tenant-admin flag and direct tenant and project roles. */
export interface Holdings {
  userId: string;
  adminRole: number;
  /** Tenant admins act as OWNER on every tenant, which implies no project role. */
  tenantAdmin: boolean;
  /** Tenant id → TenantRole. */
  tenantRoles: Map<string, number>;
  /** Project id → ProjectRole (direct memberships only; tenant roles imply more). */
  projectRoles: Map<string, number>;
}

/** Memberships reads users' current roles with a short cache that membership changes drop at once. */
export interface Memberships {
  /** holdings returns the user's current roles, or undefined when the user no longer exists. */
  holdings(userId: string): Promise<Holdings | undefined>;
  /** projectTenant returns the tenant of a project, or undefined when the project does not exist. */
  projectTenant(projectId: string): Promise<string | undefined>;
  /** tenantExists tells whether a tenant exists. */
  tenantExists(tenantId: string): Promise<boolean>;
  /** drop forgets the cached holdings of one user. */
  drop(userId: string): void;
}

// Short enough that a change made by another replica shows within seconds; local changes drop the entry.
const TTL_MS = 2_000;

/** createMemberships reads from the tenancy tables and drops what ctx.accessChanges reports as changed. */
export function createMemberships(ctx: AppContext): Memberships {
  const users = new Map<string, { at: number; value: Promise<Holdings | undefined> }>();
  const projects = new Map<string, { at: number; value: Promise<string | undefined> }>();
  const tenants = new Map<string, { at: number; value: Promise<boolean> }>();
  const load = async (userId: string): Promise<Holdings | undefined> => {
    const k = ctx.db.kysely;
    const user = await k
      .selectFrom("users")
      .select(["admin_role", "tenant_admin"])
      .where("id", "=", userId)
      .executeTakeFirst();
    if (!user) return undefined;
    const [tenants, projectRows] = await Promise.all([
      k.selectFrom("tenant_members").select(["tenant_id", "role"]).where("user_id", "=", userId).execute(),
      k.selectFrom("project_members").select(["project_id", "role"]).where("user_id", "=", userId).execute(),
    ]);
    return {
      userId,
      adminRole: Number(user.admin_role),
      tenantAdmin: Number(user.tenant_admin) === 1,
      tenantRoles: new Map(tenants.map((t) => [t.tenant_id, Number(t.role)])),
      projectRoles: new Map(projectRows.map((p) => [p.project_id, Number(p.role)])),
    };
  };
  const cached = <T>(
    map: Map<string, { at: number; value: Promise<T> }>,
    key: string,
    fn: () => Promise<T>,
  ) => {
    const hit = map.get(key);
    const nowMs = Date.now();
    if (hit && nowMs - hit.at < TTL_MS) return hit.value;
    if (map.size > 10_000) map.clear();
    const value = fn();
    map.set(key, { at: nowMs, value });
    // Only what exists is remembered: a project or tenant created right after a miss is found at once.
    const forget = () => {
      if (map.get(key)?.value === value) map.delete(key);
    };
    value.then((v) => {
      if (v === undefined || v === false) forget();
    }, forget);
    return value;
  };
  const memberships: Memberships = {
    holdings: (userId) => cached(users, userId, () => load(userId)),
    projectTenant: (projectId) =>
      cached(projects, projectId, async () => {
        const row = await ctx.db.kysely
          .selectFrom("projects")
          .select("tenant_id")
          .where("id", "=", projectId)
          .executeTakeFirst();
        return row?.tenant_id;
      }),
    tenantExists: (tenantId) =>
      cached(tenants, tenantId, async () => {
        const row = await ctx.db.kysely
          .selectFrom("tenants")
          .select("id")
          .where("id", "=", tenantId)
          .executeTakeFirst();
        return row !== undefined;
      }),
    drop: (userId) => {
      users.delete(userId);
    },
  };
  ctx.accessChanges.subscribe((change) => {
    if (change.kind === "membership") memberships.drop(change.userId);
    else if (change.kind === "project-deleted") projects.delete(change.projectId);
    else if (change.kind === "tenant-deleted") tenants.delete(change.tenantId);
  });
  return memberships;
}
