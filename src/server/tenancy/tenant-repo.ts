import type { Insertable, Updateable } from "kysely";
import { TenantRole } from "../../gen/metalstack/api/v2/common_pb.js";
import type { TenantInviteRow, TenantMemberRow, TenantRow } from "../store/tenancy-schema.js";
import type { MemberView } from "./convert.js";
import type { Executor } from "./trx.js";

/**
 * tenantRepo gives access to one tenant and the rows that hang off it. Every query is bound to
 * `tenantId`, so a caller holding this repository cannot reach another tenant's rows.
 */
export function tenantRepo(ex: Executor, tenantId: string) {
  return {
    tenantId,
    get: (): Promise<TenantRow | undefined> =>
      ex.selectFrom("tenants").selectAll().where("id", "=", tenantId).executeTakeFirst(),

    /** update writes the changes only when the stored generation is still `generation`; undefined otherwise. */
    update: (generation: number, changes: Updateable<TenantRow>): Promise<TenantRow | undefined> =>
      ex
        .updateTable("tenants")
        .set({ ...changes, generation: generation + 1 })
        .where("id", "=", tenantId)
        .where("generation", "=", generation)
        .returningAll()
        .executeTakeFirst(),

    delete: async (): Promise<void> => {
      await ex.deleteFrom("tenants").where("id", "=", tenantId).execute();
    },

    projectCount: async (): Promise<number> => {
      const r = await ex
        .selectFrom("projects")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("tenant_id", "=", tenantId)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },

    members: (): Promise<MemberView[]> =>
      ex
        .selectFrom("tenant_members as m")
        .innerJoin("users as u", "u.id", "m.user_id")
        .select(["m.user_id", "m.role", "m.created_at", "u.name", "u.email"])
        .where("m.tenant_id", "=", tenantId)
        .orderBy("m.user_id")
        .execute(),

    member: (userId: string): Promise<MemberView | undefined> =>
      ex
        .selectFrom("tenant_members as m")
        .innerJoin("users as u", "u.id", "m.user_id")
        .select(["m.user_id", "m.role", "m.created_at", "u.name", "u.email"])
        .where("m.tenant_id", "=", tenantId)
        .where("m.user_id", "=", userId)
        .executeTakeFirst(),

    addMember: async (row: Omit<TenantMemberRow, "tenant_id">): Promise<void> => {
      await ex
        .insertInto("tenant_members")
        .values({ ...row, tenant_id: tenantId })
        .execute();
    },

    setMemberRole: async (userId: string, role: TenantRole): Promise<void> => {
      await ex
        .updateTable("tenant_members")
        .set({ role })
        .where("tenant_id", "=", tenantId)
        .where("user_id", "=", userId)
        .execute();
    },

    removeMember: async (userId: string): Promise<void> => {
      await ex
        .deleteFrom("tenant_members")
        .where("tenant_id", "=", tenantId)
        .where("user_id", "=", userId)
        .execute();
    },

    ownerCount: async (): Promise<number> => {
      const r = await ex
        .selectFrom("tenant_members")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("tenant_id", "=", tenantId)
        .where("role", "=", TenantRole.OWNER)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },

    addInvite: async (row: Omit<Insertable<TenantInviteRow>, "tenant_id">): Promise<TenantInviteRow> =>
      ex
        .insertInto("tenant_invites")
        .values({ ...row, tenant_id: tenantId })
        .returningAll()
        .executeTakeFirstOrThrow(),

    /** openInvites lists invites not yet accepted, expired ones included so owners can clean them up. */
    openInvites: (): Promise<TenantInviteRow[]> =>
      ex
        .selectFrom("tenant_invites")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("accepted_at", "is", null)
        .orderBy("created_at", "desc")
        .orderBy("id")
        .execute(),

    /** deleteInvite withdraws an open invite; false when this tenant has no such invite. */
    deleteInvite: async (id: string): Promise<boolean> => {
      const r = await ex
        .deleteFrom("tenant_invites")
        .where("tenant_id", "=", tenantId)
        .where("id", "=", id)
        .where("accepted_at", "is", null)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}
