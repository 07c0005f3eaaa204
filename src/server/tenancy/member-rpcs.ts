import { type Timestamp, timestampDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import type { AppContext } from "../context.js";
import { callerId } from "./caller.js";
import type { MemberView } from "./convert.js";
import { acceptInvite, createInvite, type InviteKind } from "./invites.js";
import { type SubjectKind, type SubjectTypes, subjectRepo } from "./subject-repo.js";
import { requireId } from "./validation.js";

/**
 * MemberRpcKind binds the shared member and invite handlers to one subject kind: the tenancy
 * functions that carry the kind's own rules, and the kind's API messages.
 */
export interface MemberRpcKind<K extends SubjectKind, Member, Invite, Accepted> {
  invites: InviteKind<K>;
  get(ctx: AppContext, id: string): Promise<SubjectTypes[K]["row"]>;
  listMembers(ctx: AppContext, id: string): Promise<MemberView[]>;
  updateMember(
    ctx: AppContext,
    id: string,
    userId: string,
    role: SubjectTypes[K]["role"],
    context: HandlerContext,
  ): Promise<MemberView>;
  removeMember(ctx: AppContext, id: string, userId: string, self: boolean): Promise<void>;
  memberMessage(member: MemberView): Member;
  inviteMessage(invite: SubjectTypes[K]["invite"], subject: SubjectTypes[K]["row"]): Invite;
  /** accepted is the answer to an accepted invite. */
  accepted(subject: SubjectTypes[K]["row"], role: SubjectTypes[K]["role"]): Accepted;
}

/** SubjectRequest is a request naming its tenant or project in the field named after the kind. */
type SubjectRequest<K extends SubjectKind> = Record<K, string>;

/**
 * memberRpcs implements the member, invite and leave RPCs that the tenant and project services
 * share. The authorize interceptor has checked the caller's role on the request's subject before a
 * handler runs. Handlers return message init shapes; Connect builds the response messages.
 */
export function memberRpcs<K extends SubjectKind, Member, Invite, Accepted>(
  ctx: AppContext,
  b: MemberRpcKind<K, Member, Invite, Accepted>,
) {
  type Role = SubjectTypes[K]["role"];
  const kind = b.invites.tables.kind;
  const subjectId = (req: SubjectRequest<K>) => requireId(kind, req[kind]);
  // An operator passes the role check on any ID: a mistyped one is NotFound naming it, not an empty list.
  const existingId = async (req: SubjectRequest<K>) => (await b.get(ctx, subjectId(req))).id;
  return {
    async memberList(req: SubjectRequest<K>) {
      const members = await b.listMembers(ctx, await existingId(req));
      return { members: members.map(b.memberMessage) };
    },

    async memberUpdate(req: SubjectRequest<K> & { user: string; role: Role }, context: HandlerContext) {
      const member = await b.updateMember(
        ctx,
        await existingId(req),
        requireId("user", req.user),
        req.role,
        context,
      );
      return { member: b.memberMessage(member) };
    },

    async memberRemove(req: SubjectRequest<K> & { user: string }) {
      await b.removeMember(ctx, await existingId(req), requireId("user", req.user), false);
      return {};
    },

    async invite(req: SubjectRequest<K> & { role: Role; expiresAt?: Timestamp }, context: HandlerContext) {
      const { row, secret, subject } = await createInvite(
        ctx,
        b.invites,
        subjectId(req),
        callerId(context),
        req.role,
        req.expiresAt ? timestampDate(req.expiresAt) : undefined,
      );
      return { invite: b.inviteMessage(row, subject), secret };
    },

    async inviteList(req: SubjectRequest<K>) {
      const subject = await b.get(ctx, subjectId(req));
      const invites = await subjectRepo(ctx.db.kysely, b.invites.tables, subject.id).openInvites();
      return { invites: invites.map((i) => b.inviteMessage(i, subject)) };
    },

    async inviteDelete(req: SubjectRequest<K> & { id: string }) {
      const id = subjectId(req);
      const deleted = await subjectRepo(ctx.db.kysely, b.invites.tables, id).deleteInvite(
        requireId("id", req.id),
      );
      if (!deleted) throw new ConnectError(`${kind} "${id}" has no open invite "${req.id}"`, Code.NotFound);
      return {};
    },

    async inviteAccept(req: { secret: string }, context: HandlerContext) {
      const { subject, role } = await acceptInvite(ctx, b.invites, callerId(context), req.secret);
      return b.accepted(subject, role);
    },

    async leave(req: SubjectRequest<K>, context: HandlerContext) {
      await b.removeMember(ctx, subjectId(req), callerId(context), true);
      return {};
    },
  };
}
