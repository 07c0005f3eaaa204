import { projectTables, subjectRepo } from "./subject-repo.js";
import type { Executor } from "./trx.js";

/**
 * projectRepo gives access to one project and the rows that hang off it. Every query is bound to
 * `projectId`, so a caller holding this repository cannot reach another project's rows.
 */
export function projectRepo(ex: Executor, projectId: string) {
  return { projectId, ...subjectRepo(ex, projectTables, projectId) };
}
