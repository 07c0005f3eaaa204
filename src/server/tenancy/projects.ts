import { randomUUID } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import { ProjectRole, type UpdateLabels } from "../../gen/metalstack/api/v2/common_pb.js";
import { type AppContext, membershipChanged } from "../context.js";
import { checkLabels, mergeLabels } from "../labels.js";
import type { ProjectRow } from "../store/tenancy-schema.js";
import { checkGeneration, lockForUpdate } from "../store/versioned-rows.js";
import { type MemberView, parseLabels } from "./convert.js";
import { notFound } from "./errors.js";
import { listMembers, removeMember, updateMember } from "./memberships.js";
import { projectDeletionBlockers } from "./project-deletion-guards.js";
import { projectRepo } from "./project-repo.js";
import { projectTables } from "./subject-repo.js";
import { tenantRepo } from "./tenant-repo.js";
import { isForeignKeyViolation, isUniqueViolation, lockRow } from "./trx.js";
import { optionalText, requireProjectRole, requireText } from "./validation.js";

/** ProjectInput is what a caller may choose when creating a project. */
export interface ProjectInput {
  name: string;
  description: string;
  labels: Record<string, string>;
}

/** ProjectPatch lists the changes of a project update; unset fields stay as they are. */
export interface ProjectPatch {
  name?: string;
  description?: string;
  labels: UpdateLabels | undefined;
}

function nameTaken(tenantId: string, name: string): ConnectError {
  return new ConnectError(
    `name: a project named "${name}" already exists in tenant "${tenantId}"; pick another name`,
    Code.AlreadyExists,
  );
}

/** createProject makes a project with a new UUID in a tenant; the creator becomes its OWNER. */
export async function createProject(
  ctx: AppContext,
  tenantId: string,
  creatorId: string,
  input: ProjectInput,
): Promise<ProjectRow> {
  const name = requireText("name", input.name);
  const description = optionalText("description", input.description);
  const labels = checkLabels(input.labels);
  const now = ctx.now().toISOString();
  const row = await ctx.db.kysely.transaction().execute(async (trx) => {
    if (!(await tenantRepo(trx, tenantId).get())) throw notFound("tenant", tenantId);
    const id = randomUUID();
    const project = await trx
      .insertInto("projects")
      .values({
        id,
        tenant_id: tenantId,
        name,
        description,
        generation: 1,
        labels: JSON.stringify(labels),
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.columns(["tenant_id", "name"]).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!project) throw nameTaken(tenantId, name);
    await projectRepo(trx, id).addMember({ user_id: creatorId, role: ProjectRole.OWNER, created_at: now });
    return project;
  });
  membershipChanged(ctx, creatorId);
  return row;
}

/** getProject reads one project or fails with NotFound. */
export async function getProject(ctx: AppContext, projectId: string): Promise<ProjectRow> {
  const row = await projectRepo(ctx.db.kysely, projectId).get();
  if (!row) throw notFound("project", projectId);
  return row;
}

/**
 * updateProject applies a patch when `generation` (0 skips the check: last writer wins) still matches
 * the stored one; otherwise it fails with FailedPrecondition. A name must stay unique within the tenant.
 */
export async function updateProject(
  ctx: AppContext,
  projectId: string,
  generation: number,
  patch: ProjectPatch,
): Promise<ProjectRow> {
  const name = patch.name === undefined ? undefined : requireText("name", patch.name);
  const description =
    patch.description === undefined ? undefined : optionalText("description", patch.description);
  let tenantId = "";
  return ctx.db.kysely
    .transaction()
    .execute(async (trx) => {
      await lockForUpdate(trx, "projects", { column: "id", value: projectId });
      const repo = projectRepo(trx, projectId);
      const row = await repo.get();
      if (!row) throw notFound("project", projectId);
      tenantId = row.tenant_id;
      checkGeneration(`project "${projectId}"`, row.generation, generation);
      const labels = mergeLabels(parseLabels(row.labels), patch.labels);
      return repo.update(row.generation, {
        name: name ?? row.name,
        description: description ?? row.description,
        labels: JSON.stringify(labels),
        updated_at: ctx.now().toISOString(),
      });
    })
    .catch((err) => {
      if (isUniqueViolation(err)) throw nameTaken(tenantId, name ?? "");
      throw err;
    });
}

/**
 * deleteProject removes a project with its memberships and invites, after every deletion guard of
 * the context agreed; otherwise FailedPrecondition lists what is still in the project.
 */
export async function deleteProject(ctx: AppContext, projectId: string): Promise<ProjectRow> {
  const { row, affected } = await ctx.db.kysely
    .transaction()
    .execute(async (trx) => {
      await lockRow(trx, ctx.db.dialect, "projects", projectId);
      const repo = projectRepo(trx, projectId);
      const row = await repo.get();
      if (!row) throw notFound("project", projectId);
      const blockers = await projectDeletionBlockers(ctx.projectDeletionGuards, trx, projectId);
      if (blockers.length > 0) throw stillInUse(projectId, blockers.join(", "));
      const direct = await repo.members();
      const viaTenant = await tenantRepo(trx, row.tenant_id).members();
      await repo.delete();
      return { row, affected: new Set([...direct, ...viaTenant].map((m) => m.user_id)) };
    })
    .catch((err) => {
      // A resource table that references projects catches what a missing guard would let through.
      if (isForeignKeyViolation(err)) throw stillInUse(projectId, "resources");
      throw err;
    });
  for (const userId of affected) membershipChanged(ctx, userId);
  ctx.accessChanges.emit({ kind: "project-deleted", projectId });
  return row;
}

function stillInUse(projectId: string, what: string): ConnectError {
  return new ConnectError(
    `project "${projectId}" still holds ${what}; delete them first`,
    Code.FailedPrecondition,
  );
}

/** listProjectMembers returns the direct members of one project with their user names. */
export function listProjectMembers(ctx: AppContext, projectId: string): Promise<MemberView[]> {
  return listMembers(ctx, projectTables, projectId);
}

/** updateProjectMember sets a direct member's role; the last owner cannot be downgraded. */
export async function updateProjectMember(
  ctx: AppContext,
  projectId: string,
  userId: string,
  role: ProjectRole,
): Promise<MemberView> {
  requireProjectRole("role", role);
  return updateMember(ctx, projectTables, projectId, userId, role);
}

/**
 * removeProjectMember ends a direct project membership; `self` is true when the member leaves on its
 * own. The last owner can neither leave nor be removed.
 */
export async function removeProjectMember(
  ctx: AppContext,
  projectId: string,
  userId: string,
  self: boolean,
): Promise<void> {
  return removeMember(ctx, projectTables, projectId, userId, self);
}
