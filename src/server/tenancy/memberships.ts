import { Code, ConnectError } from "@connectrpc/connect";
import { type AppContext, membershipChanged } from "../context.js";
import type { MemberView } from "./convert.js";
import { type SubjectKind, type SubjectTables, type SubjectTypes, subjectRepo } from "./subject-repo.js";
import { lockRow } from "./trx.js";

// TenantRole.OWNER and ProjectRole.OWNER share the value 1, so one rule serves both kinds.
const OWNER = 1;

/** MembershipStore is the part of a tenant or project repository the last-owner rule needs. */
interface MembershipStore {
  member(userId: string): Promise<MemberView | undefined>;
  ownerCount(): Promise<number>;
  setMemberRole(userId: string, role: number): Promise<void>;
  removeMember(userId: string): Promise<void>;
}

/** Subject names the tenant or project a membership belongs to, for error messages. */
interface Subject {
  kind: "tenant" | "project";
  id: string;
}

function lastOwner(subject: Subject, userId: string, self: boolean, action: string): ConnectError {
  const who = self ? "you are" : `user "${userId}" is`;
  return new ConnectError(
    `${who} the last owner of ${subject.kind} "${subject.id}" and cannot ${action}; make another member owner first`,
    Code.FailedPrecondition,
  );
}

function notMember(subject: Subject, userId: string, self: boolean): ConnectError {
  const who = self ? "you are" : `user "${userId}" is`;
  const direct = subject.kind === "project" ? " direct" : "";
  return new ConnectError(`${who} not a${direct} member of ${subject.kind} "${subject.id}"`, Code.NotFound);
}

/**
 * setRole changes a member's role, refusing to downgrade the last owner; `check` may refuse the
 * change first, knowing the member's current role. Run it inside a transaction that holds the
 * subject's row lock.
 */
async function setRole(
  store: MembershipStore,
  subject: Subject,
  userId: string,
  role: number,
  check?: (member: MemberView) => void,
): Promise<MemberView> {
  const member = await store.member(userId);
  if (!member) throw notMember(subject, userId, false);
  check?.(member);
  if (member.role === OWNER && role !== OWNER && (await store.ownerCount()) <= 1) {
    throw lastOwner(subject, userId, false, "be downgraded");
  }
  await store.setMemberRole(userId, role);
  return { ...member, role };
}

/**
 * removeMembership ends a membership, refusing to remove the last owner. `self` words the errors for
 * a member leaving on its own. Run it inside a transaction that holds the subject's row lock.
 */
async function removeMembership(
  store: MembershipStore,
  subject: Subject,
  userId: string,
  self: boolean,
): Promise<void> {
  const member = await store.member(userId);
  if (!member) throw notMember(subject, userId, self);
  if (member.role === OWNER && (await store.ownerCount()) <= 1) {
    throw lastOwner(subject, userId, self, self ? "leave" : "be removed");
  }
  await store.removeMember(userId);
}

/** listMembers returns the (for projects: direct) members of one tenant or project with their user names. */
export function listMembers<K extends SubjectKind>(
  ctx: AppContext,
  tables: SubjectTables<K>,
  subjectId: string,
): Promise<MemberView[]> {
  return subjectRepo(ctx.db.kysely, tables, subjectId).members();
}

/**
 * updateMember sets a member's role under the subject's row lock; the last owner cannot be
 * downgraded. `check` carries a kind's own rule: it sees the member's current role and may throw
 * before anything changes. The role must have been validated for the kind.
 */
export async function updateMember<K extends SubjectKind>(
  ctx: AppContext,
  tables: SubjectTables<K>,
  subjectId: string,
  userId: string,
  role: SubjectTypes[K]["role"],
  check?: (member: MemberView) => void,
): Promise<MemberView> {
  const member = await ctx.db.kysely.transaction().execute(async (trx) => {
    await lockRow(trx, ctx.db.dialect, tables.table, subjectId);
    const subject = { kind: tables.kind, id: subjectId };
    return setRole(subjectRepo(trx, tables, subjectId), subject, userId, role, check);
  });
  membershipChanged(ctx, userId);
  return member;
}

/**
 * removeMember ends a membership under the subject's row lock; `self` is true when the member leaves
 * on its own. The last owner can neither leave nor be removed.
 */
export async function removeMember<K extends SubjectKind>(
  ctx: AppContext,
  tables: SubjectTables<K>,
  subjectId: string,
  userId: string,
  self: boolean,
): Promise<void> {
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await lockRow(trx, ctx.db.dialect, tables.table, subjectId);
    const subject = { kind: tables.kind, id: subjectId };
    await removeMembership(subjectRepo(trx, tables, subjectId), subject, userId, self);
  });
  membershipChanged(ctx, userId);
}
