import { Code, ConnectError } from "@connectrpc/connect";
import { TenantRole, type UpdateLabels } from "../../gen/metalstack/api/v2/common_pb.js";
import { type AppContext, membershipChanged } from "../context.js";
import { checkLabels, mergeLabels } from "../labels.js";
import type { TenantRow } from "../store/tenancy-schema.js";
import { checkGeneration, lockForUpdate } from "../store/versioned-rows.js";
import { type MemberView, parseLabels } from "./convert.js";
import { notFound } from "./errors.js";
import { listMembers, removeMember, updateMember } from "./memberships.js";
import { tenantTables } from "./subject-repo.js";
import { refuseUserTenantId } from "./tenant-ids.js";
import { tenantRepo } from "./tenant-repo.js";
import { isForeignKeyViolation, lockRow } from "./trx.js";
import { optionalEmail, optionalText, requireTenantRole, requireText, tenantSlug } from "./validation.js";

/** TenantInput is what a caller may choose when creating a tenant. */
export interface TenantInput {
  id: string;
  name: string;
  description: string;
  email: string;
  labels: Record<string, string>;
}

/** TenantPatch lists the changes of a tenant update; unset fields stay as they are. */
export interface TenantPatch {
  name?: string;
  description?: string;
  email?: string;
  labels: UpdateLabels | undefined;
}

/**
 * createTenant makes an organisation tenant with `ownerId` as its OWNER. The id is validated or
 * derived from the name and must not collide with another tenant or with an id that is, or may become,
 * a user's personal tenant id (see refuseUserTenantId).
 */
export async function createTenant(ctx: AppContext, ownerId: string, input: TenantInput): Promise<TenantRow> {
  const name = requireText("name", input.name);
  const id = tenantSlug(input.id.trim(), name);
  const description = optionalText("description", input.description);
  const email = optionalEmail("email", input.email);
  const labels = checkLabels(input.labels);
  const now = ctx.now().toISOString();
  const row = await ctx.db.kysely.transaction().execute(async (trx) => {
    const owner = await trx.selectFrom("users").select("id").where("id", "=", ownerId).executeTakeFirst();
    if (!owner) throw new ConnectError(`owner: user "${ownerId}" does not exist`, Code.NotFound);
    await refuseUserTenantId(ctx, trx, id);
    const taken = () =>
      new ConnectError(`id: tenant id "${id}" is already taken; pick another id`, Code.AlreadyExists);
    const tenant = await trx
      .insertInto("tenants")
      .values({
        id,
        name,
        description,
        email,
        personal: 0,
        created_by: ownerId,
        generation: 1,
        labels: JSON.stringify(labels),
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column("id").doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!tenant) throw taken();
    await tenantRepo(trx, id).addMember({ user_id: ownerId, role: TenantRole.OWNER, created_at: now });
    return tenant;
  });
  membershipChanged(ctx, ownerId);
  return row;
}

/** getTenant reads one tenant or fails with NotFound. */
export async function getTenant(ctx: AppContext, tenantId: string): Promise<TenantRow> {
  const row = await tenantRepo(ctx.db.kysely, tenantId).get();
  if (!row) throw notFound("tenant", tenantId);
  return row;
}

/**
 * updateTenant applies a patch when `generation` (0 skips the check: last writer wins) still matches
 * the stored one; otherwise it fails with FailedPrecondition.
 */
export async function updateTenant(
  ctx: AppContext,
  tenantId: string,
  generation: number,
  patch: TenantPatch,
): Promise<TenantRow> {
  const name = patch.name === undefined ? undefined : requireText("name", patch.name);
  const description =
    patch.description === undefined ? undefined : optionalText("description", patch.description);
  const email = patch.email === undefined ? undefined : optionalEmail("email", patch.email);
  return ctx.db.kysely.transaction().execute(async (trx) => {
    await lockForUpdate(trx, "tenants", { column: "id", value: tenantId });
    const repo = tenantRepo(trx, tenantId);
    const row = await repo.get();
    if (!row) throw notFound("tenant", tenantId);
    checkGeneration(`tenant "${tenantId}"`, row.generation, generation);
    const labels = mergeLabels(parseLabels(row.labels), patch.labels);
    return repo.update(row.generation, {
      name: name ?? row.name,
      description: description ?? row.description,
      email: email ?? row.email,
      labels: JSON.stringify(labels),
      updated_at: ctx.now().toISOString(),
    });
  });
}

/**
 * deleteTenant removes an organisation tenant with its memberships and invites. Personal tenants
 * and tenants that still have projects are refused with FailedPrecondition.
 */
export async function deleteTenant(ctx: AppContext, tenantId: string): Promise<TenantRow> {
  const { row, members } = await ctx.db.kysely
    .transaction()
    .execute(async (trx) => {
      await lockRow(trx, ctx.db.dialect, "tenants", tenantId);
      const repo = tenantRepo(trx, tenantId);
      const row = await repo.get();
      if (!row) throw notFound("tenant", tenantId);
      if (row.personal === 1) {
        throw new ConnectError(
          `tenant "${tenantId}" is a personal tenant and cannot be deleted`,
          Code.FailedPrecondition,
        );
      }
      const projects = await repo.projectCount();
      if (projects > 0) throw stillHasProjects(tenantId, projects);
      const members = await repo.members();
      await repo.delete();
      return { row, members };
    })
    .catch((err) => {
      // A project created concurrently on PostgreSQL trips the foreign key instead of the count.
      if (isForeignKeyViolation(err)) throw stillHasProjects(tenantId, 1);
      throw err;
    });
  for (const m of members) membershipChanged(ctx, m.user_id);
  ctx.accessChanges.emit({ kind: "tenant-deleted", tenantId });
  return row;
}

function stillHasProjects(tenantId: string, n: number): ConnectError {
  return new ConnectError(
    `tenant "${tenantId}" still has ${n === 1 ? "a project" : `${n} projects`}; delete them first`,
    Code.FailedPrecondition,
  );
}

/** listTenantMembers returns the members of one tenant with their user names. */
export function listTenantMembers(ctx: AppContext, tenantId: string): Promise<MemberView[]> {
  return listMembers(ctx, tenantTables, tenantId);
}

/**
 * updateTenantMember sets a member's role; the last owner cannot be downgraded, and `actorId`, when
 * it is the member, cannot raise its own role.
 */
export async function updateTenantMember(
  ctx: AppContext,
  tenantId: string,
  userId: string,
  role: TenantRole,
  actorId?: string,
): Promise<MemberView> {
  requireTenantRole("role", role);
  return updateMember(ctx, tenantTables, tenantId, userId, role, (member) => {
    // Tenant admins manage every tenant's members; raising their own membership would hand them
    // the tenant's projects (infrastructure) as well.
    if (actorId === userId && role < member.role) {
      throw new ConnectError(
        `role: you cannot raise your own role on tenant "${tenantId}"; ask another owner`,
        Code.PermissionDenied,
      );
    }
  });
}

/**
 * removeTenantMember ends a tenant membership; `self` is true when the member leaves on its own.
 * The last owner can neither leave nor be removed.
 */
export async function removeTenantMember(
  ctx: AppContext,
  tenantId: string,
  userId: string,
  self: boolean,
): Promise<void> {
  return removeMember(ctx, tenantTables, tenantId, userId, self);
}
