import { Code, ConnectError } from "@connectrpc/connect";
import { AdminRole, TenantRole } from "../../gen/metalstack/api/v2/common_pb.js";
import { type AppContext, membershipChanged } from "../context.js";
import { checkField } from "../interceptors/request-fields.js";
import type { UserRow } from "../store/tenancy-schema.js";
import type { Trx } from "./trx.js";

/** UserIdentity is what an identity source knows about a user when it presents them to the API. */
export interface UserIdentity {
  id: string;
  name: string;
  email: string;
  /** When given, the user's admin role is set to it; when omitted, the stored admin role is kept. */
  adminRole?: AdminRole;
  /** When given, sets whether the user is a tenant admin; when omitted, the stored flag is kept. */
  tenantAdmin?: boolean;
}

/**
 * ensureUser creates a user together with its personal tenant (tenant id = user id, the user as
 * OWNER) on first sight, in one transaction; later calls update name, email and, when given, the
 * admin role and tenant-admin flag. Safe under concurrent calls for the same user.
 */
export async function ensureUser(ctx: AppContext, u: UserIdentity): Promise<UserRow> {
  if (!u.id.trim()) throw new ConnectError("user id must not be empty", Code.InvalidArgument);
  // Identity sources (an upstream provider, LDAP, the token command) bypass the request checks, yet the
  // id becomes the personal tenant's and the name is shown next to it: the same rules apply.
  checkField("user id", "user", u.id);
  checkField("user name", "name", u.name);
  checkField("user email", "email", u.email);
  if (u.adminRole !== undefined && !(u.adminRole in AdminRole)) {
    throw new ConnectError(`admin role ${u.adminRole} is not a known AdminRole`, Code.InvalidArgument);
  }
  const now = ctx.now().toISOString();
  const { row, rolesChanged } = await ctx.db.kysely.transaction().execute(async (trx) => {
    // Concurrent first logins both insert; ON CONFLICT DO NOTHING lets the loser fall through to
    // the update path instead of failing on the primary key.
    const inserted = await trx
      .insertInto("users")
      .values({
        id: u.id,
        name: u.name,
        email: u.email,
        admin_role: u.adminRole ?? AdminRole.UNSPECIFIED,
        tenant_admin: u.tenantAdmin ? 1 : 0,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column("id").doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) {
      await createPersonalTenant(trx, u, now);
      return { row: inserted, rolesChanged: true };
    }
    const existing = await trx
      .selectFrom("users")
      .selectAll()
      .where("id", "=", u.id)
      .executeTakeFirstOrThrow();
    const adminRole = Number(u.adminRole ?? existing.admin_role);
    const tenantAdmin = u.tenantAdmin === undefined ? Number(existing.tenant_admin) : u.tenantAdmin ? 1 : 0;
    const rolesChanged =
      Number(existing.admin_role) !== adminRole || Number(existing.tenant_admin) !== tenantAdmin;
    if (existing.name === u.name && existing.email === u.email && !rolesChanged) {
      return { row: existing, rolesChanged: false };
    }
    const updated = await trx
      .updateTable("users")
      .set({
        name: u.name,
        email: u.email,
        admin_role: adminRole,
        tenant_admin: tenantAdmin,
        updated_at: now,
      })
      .where("id", "=", u.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (existing.name !== u.name || existing.email !== u.email) await followRename(trx, existing, u, now);
    return { row: updated, rolesChanged };
  });
  if (rolesChanged) membershipChanged(ctx, u.id);
  return row;
}

/**
 * followRename carries a changed name or email over to the personal tenant, but only where the
 * tenant still shows the user's previous value: an owner's own edits to the tenant are kept.
 */
async function followRename(trx: Trx, before: UserRow, u: UserIdentity, now: string): Promise<void> {
  const tenant = await trx
    .selectFrom("tenants")
    .selectAll()
    .where("id", "=", u.id)
    .where("personal", "=", 1)
    .executeTakeFirst();
  if (!tenant) return;
  const name = tenant.name === (before.name || before.id) ? u.name || u.id : tenant.name;
  const email = tenant.email === before.email ? u.email : tenant.email;
  if (name === tenant.name && email === tenant.email) return;
  await trx
    .updateTable("tenants")
    .set({ name, email, generation: tenant.generation + 1, updated_at: now })
    .where("id", "=", tenant.id)
    .execute();
}

async function createPersonalTenant(trx: Trx, u: UserIdentity, now: string): Promise<void> {
  const tenant = await trx
    .insertInto("tenants")
    .values({
      id: u.id,
      name: u.name || u.id,
      description: "",
      email: u.email,
      personal: 1,
      created_by: u.id,
      generation: 1,
      labels: "{}",
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!tenant) {
    // A personal tenant left behind by an earlier user of this id is adopted; an organisation
    // tenant that took the id is not, and the user cannot get a personal tenant here.
    const existing = await trx
      .selectFrom("tenants")
      .select(["personal", "created_by"])
      .where("id", "=", u.id)
      .executeTakeFirstOrThrow();
    if (existing.personal !== 1 || existing.created_by !== u.id) {
      throw new ConnectError(
        `cannot create user "${u.id}": a tenant with that id already exists; rename the tenant or use another user id`,
        Code.AlreadyExists,
      );
    }
  }
  await trx
    .insertInto("tenant_members")
    .values({ tenant_id: u.id, user_id: u.id, role: TenantRole.OWNER, created_at: now })
    .onConflict((oc) => oc.columns(["tenant_id", "user_id"]).doNothing())
    .execute();
}
