import type { ProjectRow, TenantRow, UserRow } from "../store/tenancy-schema.js";
import type { Executor } from "./trx.js";

/** ProjectFilter narrows a project list. */
export interface ProjectFilter {
  tenant?: string;
  name?: string;
}

/**
 * userRepo reads what one user can see: its memberships and the tenants and projects they reach.
 * Every query is bound to `userId`.
 */
export function userRepo(ex: Executor, userId: string) {
  return {
    userId,
    get: (): Promise<UserRow | undefined> =>
      ex.selectFrom("users").selectAll().where("id", "=", userId).executeTakeFirst(),

    /** tenants returns the tenants the user is a member of, with its role there, ordered by id. */
    tenants: (): Promise<(TenantRow & { role: number })[]> =>
      ex
        .selectFrom("tenants as t")
        .innerJoin("tenant_members as m", "m.tenant_id", "t.id")
        .selectAll("t")
        .select("m.role")
        .where("m.user_id", "=", userId)
        .orderBy("t.id")
        .execute(),

    /** directProjects returns the projects the user is a direct member of, with that role. */
    directProjects: (): Promise<{ id: string; tenant_id: string; name: string; role: number }[]> =>
      ex
        .selectFrom("projects as p")
        .innerJoin("project_members as m", "m.project_id", "p.id")
        .select(["p.id", "p.tenant_id", "p.name", "m.role"])
        .where("m.user_id", "=", userId)
        .execute(),

    /** tenantProjects returns the projects of tenants the user is a member of, with the tenant role. */
    tenantProjects: (): Promise<{ id: string; tenant_id: string; name: string; tenant_role: number }[]> =>
      ex
        .selectFrom("projects as p")
        .innerJoin("tenant_members as m", "m.tenant_id", "p.tenant_id")
        .select(["p.id", "p.tenant_id", "p.name", "m.role as tenant_role"])
        .where("m.user_id", "=", userId)
        .execute(),

    /** visibleProjects returns the projects the user reaches directly or through a tenant membership. */
    visibleProjects: (filter: ProjectFilter = {}): Promise<ProjectRow[]> => {
      let q = ex
        .selectFrom("projects as p")
        .selectAll("p")
        .where((eb) =>
          eb.or([
            eb(
              "p.id",
              "in",
              eb.selectFrom("project_members").select("project_id").where("user_id", "=", userId),
            ),
            eb(
              "p.tenant_id",
              "in",
              eb.selectFrom("tenant_members").select("tenant_id").where("user_id", "=", userId),
            ),
          ]),
        );
      if (filter.tenant !== undefined) q = q.where("p.tenant_id", "=", filter.tenant);
      if (filter.name !== undefined) q = q.where("p.name", "=", filter.name);
      return q.orderBy("p.tenant_id").orderBy("p.name").execute();
    },
  };
}
