import { createHash, randomBytes, randomUUID } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import type { ProjectRole, TenantRole } from "../../gen/metalstack/api/v2/common_pb.js";
import { type AppContext, membershipChanged } from "../context.js";
import type { ProjectInviteRow, ProjectRow, TenantInviteRow, TenantRow } from "../store/tenancy-schema.js";
import { notFound } from "./errors.js";
import { projectRepo } from "./project-repo.js";
import { strongerRole } from "./roles.js";
import { tenantRepo } from "./tenant-repo.js";
import type { Trx } from "./trx.js";
import { invalid, inviteExpiry, requireProjectRole, requireTenantRole } from "./validation.js";

// Prefixes make a pasted secret recognisable (and findable by secret scanners) and tell the two kinds apart.
const TENANT_PREFIX = "mti_";
const PROJECT_PREFIX = "mpi_";

function newSecret(prefix: string): { secret: string; hash: string } {
  const secret = `${prefix}${randomBytes(32).toString("base64url")}`;
  return { secret, hash: hashSecret(secret) };
}

// The secret carries 256 random bits, so a plain SHA-256 is enough: there is nothing to brute-force.
function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** CreatedInvite is a stored invite plus its secret, which exists only in this value. */
export interface CreatedInvite<Row> {
  row: Row;
  secret: string;
}

/** createTenantInvite stores a single-use invite into a tenant and returns its secret once. */
export async function createTenantInvite(
  ctx: AppContext,
  tenantId: string,
  createdBy: string,
  role: TenantRole,
  expiresAt: Date | undefined,
): Promise<CreatedInvite<TenantInviteRow> & { tenant: TenantRow }> {
  requireTenantRole("role", role);
  const now = ctx.now();
  const expiry = inviteExpiry(now, expiresAt);
  const repo = tenantRepo(ctx.db.kysely, tenantId);
  const tenant = await repo.get();
  if (!tenant) throw notFound("tenant", tenantId);
  const { secret, hash } = newSecret(TENANT_PREFIX);
  const row = await repo.addInvite({
    id: randomUUID(),
    role,
    secret_hash: hash,
    expires_at: expiry.toISOString(),
    created_by: createdBy,
    created_at: now.toISOString(),
  });
  return { row, secret, tenant };
}

/** createProjectInvite stores a single-use invite into a project and returns its secret once. */
export async function createProjectInvite(
  ctx: AppContext,
  projectId: string,
  createdBy: string,
  role: ProjectRole,
  expiresAt: Date | undefined,
): Promise<CreatedInvite<ProjectInviteRow> & { project: ProjectRow }> {
  requireProjectRole("role", role);
  const now = ctx.now();
  const expiry = inviteExpiry(now, expiresAt);
  const repo = projectRepo(ctx.db.kysely, projectId);
  const project = await repo.get();
  if (!project) throw notFound("project", projectId);
  const { secret, hash } = newSecret(PROJECT_PREFIX);
  const row = await repo.addInvite({
    id: randomUUID(),
    role,
    secret_hash: hash,
    expires_at: expiry.toISOString(),
    created_by: createdBy,
    created_at: now.toISOString(),
  });
  return { row, secret, project };
}

function checkSecret(secret: string, prefix: string, other: string, kind: string, otherKind: string): string {
  if (!secret) throw invalid("secret", "must not be empty; paste the secret you were given");
  if (secret.startsWith(other)) {
    throw invalid("secret", `this is a ${otherKind} invite; accept it with the ${otherKind} invite command`);
  }
  if (!secret.startsWith(prefix)) throw invalid("secret", `this is not a ${kind} invite secret`);
  return hashSecret(secret);
}

const wrongSecret = () =>
  new ConnectError("invite not found: the secret is wrong or the invite was withdrawn", Code.NotFound);

/**
 * claim marks an invite as used by `userId` exactly once: a used or expired invite is refused, and
 * of two concurrent accepts only one wins the conditional update.
 */
async function claim<T extends { id: string; accepted_at: string | null; expires_at: string }>(
  trx: Trx,
  table: "tenant_invites" | "project_invites",
  invite: T | undefined,
  userId: string,
  now: Date,
): Promise<T> {
  if (!invite) throw wrongSecret();
  const used = () => new ConnectError("invite was already used; ask for a new one", Code.FailedPrecondition);
  if (invite.accepted_at) throw used();
  if (new Date(invite.expires_at).getTime() <= now.getTime()) {
    throw new ConnectError(
      `invite expired at ${invite.expires_at}; ask for a new one`,
      Code.FailedPrecondition,
    );
  }
  const r = await trx
    .updateTable(table)
    .set({ accepted_by: userId, accepted_at: now.toISOString() })
    .where("id", "=", invite.id)
    .where("accepted_at", "is", null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw used();
  return invite;
}

/**
 * acceptTenantInvite joins `userId` to the invite's tenant with the invited role, or keeps a
 * stronger role it already has; the invite cannot be used again.
 */
export async function acceptTenantInvite(
  ctx: AppContext,
  userId: string,
  secret: string,
): Promise<{ tenant: TenantRow; role: TenantRole }> {
  const hash = checkSecret(secret, TENANT_PREFIX, PROJECT_PREFIX, "tenant", "project");
  const now = ctx.now();
  const result = await ctx.db.kysely.transaction().execute(async (trx) => {
    const found = await trx
      .selectFrom("tenant_invites")
      .selectAll()
      .where("secret_hash", "=", hash)
      .executeTakeFirst();
    const invite = await claim(trx, "tenant_invites", found, userId, now);
    const repo = tenantRepo(trx, invite.tenant_id);
    const tenant = await repo.get();
    if (!tenant) throw notFound("tenant", invite.tenant_id);
    const current = await repo.member(userId);
    const role = strongerRole((current?.role ?? 0) as TenantRole, invite.role as TenantRole);
    // Tenant admins may invite into any tenant; joining one through their own invite would hand
    // them its projects (infrastructure) as well.
    if (invite.created_by === userId && role !== current?.role) {
      throw new ConnectError(
        "secret: an invite cannot be accepted by the user who created it; ask another owner of the tenant",
        Code.PermissionDenied,
      );
    }
    if (!current) await repo.addMember({ user_id: userId, role, created_at: now.toISOString() });
    else if (role !== current.role) await repo.setMemberRole(userId, role);
    return { tenant, role };
  });
  membershipChanged(ctx, userId);
  return result;
}

/**
 * acceptProjectInvite joins `userId` to the invite's project with the invited role, or keeps a
 * stronger direct role it already has; the invite cannot be used again.
 */
export async function acceptProjectInvite(
  ctx: AppContext,
  userId: string,
  secret: string,
): Promise<{ project: ProjectRow; role: ProjectRole }> {
  const hash = checkSecret(secret, PROJECT_PREFIX, TENANT_PREFIX, "project", "tenant");
  const now = ctx.now();
  const result = await ctx.db.kysely.transaction().execute(async (trx) => {
    const found = await trx
      .selectFrom("project_invites")
      .selectAll()
      .where("secret_hash", "=", hash)
      .executeTakeFirst();
    const invite = await claim(trx, "project_invites", found, userId, now);
    const repo = projectRepo(trx, invite.project_id);
    const project = await repo.get();
    if (!project) throw notFound("project", invite.project_id);
    const current = await repo.member(userId);
    const role = strongerRole((current?.role ?? 0) as ProjectRole, invite.role as ProjectRole);
    if (!current) await repo.addMember({ user_id: userId, role, created_at: now.toISOString() });
    else if (role !== current.role) await repo.setMemberRole(userId, role);
    return { project, role };
  });
  membershipChanged(ctx, userId);
  return result;
}
