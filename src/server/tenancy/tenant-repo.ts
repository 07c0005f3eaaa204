import { subjectRepo, tenantTables } from "./subject-repo.js";
import type { Executor } from "./trx.js";

/**
 * tenantRepo gives access to one tenant and the rows that hang off it. Every query is bound to
 * `tenantId`, so a caller holding this repository cannot reach another tenant's rows.
 */
export function tenantRepo(ex: Executor, tenantId: string) {
  return {
    tenantId,
    ...subjectRepo(ex, tenantTables, tenantId),

    projectCount: async (): Promise<number> => {
      const r = await ex
        .selectFrom("projects")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("tenant_id", "=", tenantId)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
