import type { Trx } from "./trx.js";

/**
 * ProjectDeletionGuard inspects a project inside the deleting transaction and returns why it cannot
 * be deleted yet (e.g. "3 machines"), or undefined when its area holds nothing in the project.
 */
export type ProjectDeletionGuard = (trx: Trx, projectId: string) => Promise<string | undefined>;

/** projectDeletionBlockers runs every guard and returns the reasons that block deleting the project. */
export async function projectDeletionBlockers(
  guards: readonly ProjectDeletionGuard[],
  trx: Trx,
  projectId: string,
): Promise<string[]> {
  const reasons: string[] = [];
  for (const guard of guards) {
    const reason = await guard(trx, projectId);
    if (reason) reasons.push(reason);
  }
  return reasons;
}
