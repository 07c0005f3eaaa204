import type { MachineRow } from "../store/machine-schema.js";
import type { Executor } from "../tenancy/trx.js";

/** firewallIdsAmong returns the ids of those machines whose current allocation is a firewall. */
export async function firewallIdsAmong(
  db: Executor,
  machines: Pick<MachineRow, "id" | "allocation_id">[],
): Promise<Set<string>> {
  const allocated = machines.filter((m) => m.allocation_id !== null);
  if (allocated.length === 0) return new Set();
  const rows = await db
    .selectFrom("firewall_rules")
    .select(["machine_id", "allocation_id"])
    .where(
      "machine_id",
      "in",
      allocated.map((m) => m.id),
    )
    .execute();
  const current = new Map(allocated.map((m) => [m.id, m.allocation_id]));
  return new Set(rows.filter((r) => current.get(r.machine_id) === r.allocation_id).map((r) => r.machine_id));
}
