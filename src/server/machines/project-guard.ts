import type { ProjectDeletionGuard } from "../tenancy/project-deletion-guards.js";

/** machineProjectGuard refuses to delete a project that still has machines allocated. */
export const machineProjectGuard: ProjectDeletionGuard = async (trx, projectId) => {
  const { n } = await trx
    .selectFrom("machines")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("project", "=", projectId)
    .executeTakeFirstOrThrow();
  const count = Number(n);
  return count > 0 ? `${count} machine${count === 1 ? "" : "s"} (delete them first)` : undefined;
};
