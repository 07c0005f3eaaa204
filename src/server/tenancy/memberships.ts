import { Code, ConnectError } from "@connectrpc/connect";
import type { MemberView } from "./convert.js";

// TenantRole.OWNER and ProjectRole.OWNER share the value 1, so one rule serves both kinds.
const OWNER = 1;

/** MembershipStore is the part of a tenant or project repository the last-owner rule needs. */
export interface MembershipStore {
  member(userId: string): Promise<MemberView | undefined>;
  ownerCount(): Promise<number>;
  setMemberRole(userId: string, role: number): Promise<void>;
  removeMember(userId: string): Promise<void>;
}

/** Subject names the tenant or project a membership belongs to, for error messages. */
export interface Subject {
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
 * setRole changes a member's role, refusing to downgrade the last owner. Run it inside a
 * transaction that holds the subject's row lock.
 */
export async function setRole(
  store: MembershipStore,
  subject: Subject,
  userId: string,
  role: number,
): Promise<MemberView> {
  const member = await store.member(userId);
  if (!member) throw notMember(subject, userId, false);
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
export async function removeMembership(
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
