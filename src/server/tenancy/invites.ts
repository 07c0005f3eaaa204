import { createHash, randomBytes, randomUUID } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import { type AppContext, membershipChanged } from "../context.js";
import { notFound } from "./errors.js";
import { strongerRole } from "./roles.js";
import {
  inviteBySecretHash,
  projectTables,
  type SubjectKind,
  type SubjectTables,
  type SubjectTypes,
  subjectRepo,
  tenantTables,
} from "./subject-repo.js";
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

/** InviteKind is what creating and accepting invites needs to know of one subject kind. */
export interface InviteKind<K extends SubjectKind> {
  tables: SubjectTables<K>;
  /** prefix starts this kind's secrets; `other` names the other kind, to point out a mix-up. */
  prefix: string;
  other: { kind: SubjectKind; prefix: string };
  /** requireRole rejects a role this kind does not know. */
  requireRole(field: string, role: SubjectTypes[K]["role"]): SubjectTypes[K]["role"];
  /** creatorMayJoin tells whether the creator of an invite may join, or gain a role, through it. */
  creatorMayJoin: boolean;
}

/** tenantInvites are invites into tenants. */
export const tenantInvites: InviteKind<"tenant"> = {
  tables: tenantTables,
  prefix: TENANT_PREFIX,
  other: { kind: "project", prefix: PROJECT_PREFIX },
  requireRole: requireTenantRole,
  // Tenant admins may invite into any tenant; joining one through their own invite would hand
  // them its projects (infrastructure) as well.
  creatorMayJoin: false,
};

/** projectInvites are invites into projects. */
export const projectInvites: InviteKind<"project"> = {
  tables: projectTables,
  prefix: PROJECT_PREFIX,
  other: { kind: "tenant", prefix: TENANT_PREFIX },
  requireRole: requireProjectRole,
  creatorMayJoin: true,
};

/** createInvite stores a single-use invite into a tenant or project and returns its secret once. */
export async function createInvite<K extends SubjectKind>(
  ctx: AppContext,
  kind: InviteKind<K>,
  subjectId: string,
  createdBy: string,
  role: SubjectTypes[K]["role"],
  expiresAt: Date | undefined,
): Promise<CreatedInvite<SubjectTypes[K]["invite"]> & { subject: SubjectTypes[K]["row"] }> {
  kind.requireRole("role", role);
  const now = ctx.now();
  const expiry = inviteExpiry(now, expiresAt);
  const repo = subjectRepo(ctx.db.kysely, kind.tables, subjectId);
  const subject = await repo.get();
  if (!subject) throw notFound(kind.tables.kind, subjectId);
  const { secret, hash } = newSecret(kind.prefix);
  const row = await repo.addInvite({
    id: randomUUID(),
    role,
    secret_hash: hash,
    expires_at: expiry.toISOString(),
    created_by: createdBy,
    created_at: now.toISOString(),
  });
  return { row, secret, subject };
}

function checkSecret(secret: string, { tables, prefix, other }: InviteKind<SubjectKind>): string {
  if (!secret) throw invalid("secret", "must not be empty; paste the secret you were given");
  if (secret.startsWith(other.prefix)) {
    throw invalid(
      "secret",
      `this is a ${other.kind} invite; accept it with the ${other.kind} invite command`,
    );
  }
  if (!secret.startsWith(prefix)) throw invalid("secret", `this is not a ${tables.kind} invite secret`);
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
 * acceptInvite joins `userId` to the invite's tenant or project with the invited role, or keeps a
 * stronger direct role it already has; the invite cannot be used again.
 */
export async function acceptInvite<K extends SubjectKind>(
  ctx: AppContext,
  kind: InviteKind<K>,
  userId: string,
  secret: string,
): Promise<{ subject: SubjectTypes[K]["row"]; role: SubjectTypes[K]["role"] }> {
  const t = kind.tables;
  const hash = checkSecret(secret, kind);
  const now = ctx.now();
  const result = await ctx.db.kysely.transaction().execute(async (trx) => {
    const found = await inviteBySecretHash(trx, t, hash);
    const invite = await claim(trx, t.invites, found, userId, now);
    const repo = subjectRepo(trx, t, t.subjectOf(invite));
    const subject = await repo.get();
    if (!subject) throw notFound(t.kind, t.subjectOf(invite));
    const current = await repo.member(userId);
    const role = strongerRole(current?.role ?? 0, invite.role) as SubjectTypes[K]["role"];
    if (!kind.creatorMayJoin && invite.created_by === userId && role !== current?.role) {
      throw new ConnectError(
        `secret: an invite cannot be accepted by the user who created it; ask another owner of the ${t.kind}`,
        Code.PermissionDenied,
      );
    }
    if (!current) await repo.addMember({ user_id: userId, role, created_at: now.toISOString() });
    else if (role !== current.role) await repo.setMemberRole(userId, role);
    return { subject, role };
  });
  membershipChanged(ctx, userId);
  return result;
}
