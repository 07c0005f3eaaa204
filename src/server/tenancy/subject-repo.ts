import { CompiledQuery, type Insertable, type Updateable } from "kysely";
import { ProjectRole, TenantRole } from "../../gen/metalstack/api/v2/common_pb.js";
import { compiledOnce } from "../store/compiled-once.js";
import type { ProjectInviteRow, ProjectRow, TenantInviteRow, TenantRow } from "../store/tenancy-schema.js";
import type { MemberView } from "./convert.js";
import type { Executor } from "./trx.js";

/** SubjectKind is what memberships and invites belong to. */
export type SubjectKind = "tenant" | "project";

/** SubjectTypes maps a subject kind to its stored rows and its role enum. */
export interface SubjectTypes {
  tenant: { row: TenantRow; invite: TenantInviteRow; role: TenantRole };
  project: { row: ProjectRow; invite: ProjectInviteRow; role: ProjectRole };
}

/**
 * SubjectTables describes one subject kind: its own table, its membership and invite tables, and
 * the column by which those two refer to it.
 */
export interface SubjectTables<K extends SubjectKind> {
  kind: K;
  table: `${K}s`;
  members: `${K}_members`;
  invites: `${K}_invites`;
  key: `${K}_id`;
  /** owner is the kind's OWNER role, which the last-owner rule counts. */
  owner: SubjectTypes[K]["role"];
  /** subjectOf names the tenant or project an invite row belongs to. */
  subjectOf(invite: SubjectTypes[K]["invite"]): string;
}

/** tenantTables describes tenants, their members and their invites. */
export const tenantTables: SubjectTables<"tenant"> = {
  kind: "tenant",
  table: "tenants",
  members: "tenant_members",
  invites: "tenant_invites",
  key: "tenant_id",
  owner: TenantRole.OWNER,
  subjectOf: (invite) => invite.tenant_id,
};

/** projectTables describes projects, their direct members and their invites. */
export const projectTables: SubjectTables<"project"> = {
  kind: "project",
  table: "projects",
  members: "project_members",
  invites: "project_invites",
  key: "project_id",
  owner: ProjectRole.OWNER,
  subjectOf: (invite) => invite.project_id,
};

/** MemberInput is a new membership; the subject comes from the repository. */
export interface MemberInput {
  user_id: string;
  role: number;
  created_at: string;
}

/** InviteInput is a new invite; the subject comes from the repository. */
export type InviteInput = Omit<Insertable<TenantInviteRow>, "tenant_id">;

/**
 * subjectRepo gives access to one tenant or project, as `tables` describes its kind, and the
 * memberships and invites that hang off it. Every query is bound to `subjectId`, so a caller holding
 * this repository cannot reach another subject's rows.
 */
export function subjectRepo<K extends SubjectKind>(
  ex: Executor,
  tables: SubjectTables<K>,
  subjectId: string,
) {
  type Row = SubjectTypes[K]["row"];
  type Invite = SubjectTypes[K]["invite"];
  // Kysely cannot type a query whose table name is still generic: the queries see both kinds'
  // tables, and their results are narrowed back to this kind's rows.
  const t: SubjectTables<SubjectKind> = tables;
  const memberViews = () =>
    ex
      .selectFrom(ex.dynamic.table(t.members).as("m"))
      .innerJoin("users as u", "u.id", "m.user_id")
      .select(["m.user_id", "m.role", "m.created_at", "u.name", "u.email"])
      .where(ex.dynamic.ref(`m.${t.key}`), "=", subjectId);
  return {
    // Every call on a project or tenant reads it: the statement's text is built once per table.
    get: async (): Promise<Row | undefined> => {
      const text = compiledOnce(
        ex,
        `${t.table} by id`,
        () => ex.selectFrom(t.table).selectAll().where("id", "=", ""),
        { keepRows: true },
      );
      const { rows } = await ex.executeQuery<Row>(CompiledQuery.raw(text, [subjectId]));
      return rows[0];
    },

    /** update writes the changes and the generation after `generation`, that of the row read under lockForUpdate. */
    update: async (generation: number, changes: Updateable<Row>): Promise<Row> => {
      const row = await ex
        .updateTable(t.table)
        .set({ ...changes, generation: generation + 1 })
        .where("id", "=", subjectId)
        .returningAll()
        .executeTakeFirstOrThrow();
      return row as Row;
    },

    delete: async (): Promise<void> => {
      await ex.deleteFrom(t.table).where("id", "=", subjectId).execute();
    },

    members: (): Promise<MemberView[]> => memberViews().orderBy("m.user_id").execute(),

    member: (userId: string): Promise<MemberView | undefined> =>
      memberViews().where("m.user_id", "=", userId).executeTakeFirst(),

    addMember: async (row: MemberInput): Promise<void> => {
      await ex
        .insertInto(t.members)
        .values({ ...row, [t.key]: subjectId })
        .execute();
    },

    setMemberRole: async (userId: string, role: SubjectTypes[K]["role"]): Promise<void> => {
      await ex
        .updateTable(t.members)
        .set({ role })
        .where(t.key, "=", subjectId)
        .where("user_id", "=", userId)
        .execute();
    },

    removeMember: async (userId: string): Promise<void> => {
      await ex.deleteFrom(t.members).where(t.key, "=", subjectId).where("user_id", "=", userId).execute();
    },

    ownerCount: async (): Promise<number> => {
      const r = await ex
        .selectFrom(t.members)
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where(t.key, "=", subjectId)
        .where("role", "=", t.owner)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },

    addInvite: async (row: InviteInput): Promise<Invite> => {
      const invite = await ex
        .insertInto(t.invites)
        .values({ ...row, [t.key]: subjectId })
        .returningAll()
        .executeTakeFirstOrThrow();
      return invite as Invite;
    },

    /** openInvites lists invites not yet accepted, expired ones included so owners can clean them up. */
    openInvites: async (): Promise<Invite[]> => {
      const invites = await ex
        .selectFrom(t.invites)
        .selectAll()
        .where(t.key, "=", subjectId)
        .where("accepted_at", "is", null)
        .orderBy("created_at", "desc")
        .orderBy("id")
        .execute();
      return invites as Invite[];
    },

    /** deleteInvite withdraws an open invite; false when this subject has no such invite. */
    deleteInvite: async (id: string): Promise<boolean> => {
      const r = await ex
        .deleteFrom(t.invites)
        .where(t.key, "=", subjectId)
        .where("id", "=", id)
        .where("accepted_at", "is", null)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}

/** inviteBySecretHash finds an invite of `tables`' kind by the hash of its secret, in any subject. */
export async function inviteBySecretHash<K extends SubjectKind>(
  ex: Executor,
  tables: SubjectTables<K>,
  hash: string,
): Promise<SubjectTypes[K]["invite"] | undefined> {
  const t: SubjectTables<SubjectKind> = tables;
  const invite = await ex
    .selectFrom(t.invites)
    .selectAll()
    .where("secret_hash", "=", hash)
    .executeTakeFirst();
  return invite as SubjectTypes[K]["invite"] | undefined;
}
