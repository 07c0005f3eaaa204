import type { Insertable, Updateable } from "kysely";
import { ProjectRole } from "../../gen/metalstack/api/v2/common_pb.js";
import type { ProjectInviteRow, ProjectMemberRow, ProjectRow } from "../store/tenancy-schema.js";
import type { MemberView } from "./convert.js";
import type { Executor } from "./trx.js";

/**
 * projectRepo gives access to one project and the rows that hang off it. Every query is bound to
 * `projectId`, so a caller holding this repository cannot reach another project's rows.
 */
export function projectRepo(ex: Executor, projectId: string) {
  return {
    projectId,
    get: (): Promise<ProjectRow | undefined> =>
      ex.selectFrom("projects").selectAll().where("id", "=", projectId).executeTakeFirst(),

    /** update writes the changes only when the stored generation is still `generation`; undefined otherwise. */
    update: (generation: number, changes: Updateable<ProjectRow>): Promise<ProjectRow | undefined> =>
      ex
        .updateTable("projects")
        .set({ ...changes, generation: generation + 1 })
        .where("id", "=", projectId)
        .where("generation", "=", generation)
        .returningAll()
        .executeTakeFirst(),

    delete: async (): Promise<void> => {
      await ex.deleteFrom("projects").where("id", "=", projectId).execute();
    },

    members: (): Promise<MemberView[]> =>
      ex
        .selectFrom("project_members as m")
        .innerJoin("users as u", "u.id", "m.user_id")
        .select(["m.user_id", "m.role", "m.created_at", "u.name", "u.email"])
        .where("m.project_id", "=", projectId)
        .orderBy("m.user_id")
        .execute(),

    member: (userId: string): Promise<MemberView | undefined> =>
      ex
        .selectFrom("project_members as m")
        .innerJoin("users as u", "u.id", "m.user_id")
        .select(["m.user_id", "m.role", "m.created_at", "u.name", "u.email"])
        .where("m.project_id", "=", projectId)
        .where("m.user_id", "=", userId)
        .executeTakeFirst(),

    addMember: async (row: Omit<ProjectMemberRow, "project_id">): Promise<void> => {
      await ex
        .insertInto("project_members")
        .values({ ...row, project_id: projectId })
        .execute();
    },

    setMemberRole: async (userId: string, role: ProjectRole): Promise<void> => {
      await ex
        .updateTable("project_members")
        .set({ role })
        .where("project_id", "=", projectId)
        .where("user_id", "=", userId)
        .execute();
    },

    removeMember: async (userId: string): Promise<void> => {
      await ex
        .deleteFrom("project_members")
        .where("project_id", "=", projectId)
        .where("user_id", "=", userId)
        .execute();
    },

    ownerCount: async (): Promise<number> => {
      const r = await ex
        .selectFrom("project_members")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("project_id", "=", projectId)
        .where("role", "=", ProjectRole.OWNER)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },

    addInvite: async (row: Omit<Insertable<ProjectInviteRow>, "project_id">): Promise<ProjectInviteRow> =>
      ex
        .insertInto("project_invites")
        .values({ ...row, project_id: projectId })
        .returningAll()
        .executeTakeFirstOrThrow(),

    /** openInvites lists invites not yet accepted, expired ones included so owners can clean them up. */
    openInvites: (): Promise<ProjectInviteRow[]> =>
      ex
        .selectFrom("project_invites")
        .selectAll()
        .where("project_id", "=", projectId)
        .where("accepted_at", "is", null)
        .orderBy("created_at", "desc")
        .orderBy("id")
        .execute(),

    /** deleteInvite withdraws an open invite; false when this project has no such invite. */
    deleteInvite: async (id: string): Promise<boolean> => {
      const r = await ex
        .deleteFrom("project_invites")
        .where("project_id", "=", projectId)
        .where("id", "=", id)
        .where("accepted_at", "is", null)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}
