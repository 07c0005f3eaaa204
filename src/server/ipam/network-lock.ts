import type { Tx } from "../catalog/resource-meta.js";

/**
 * lockNetwork serializes allocations from one network until the transaction ends and tells whether
 * the network exists.
 *
 * Why a no-op UPDATE instead of SELECT … FOR UPDATE: it is the same statement on both dialects.
 * On PostgreSQL it takes the row lock, so concurrent allocations from the same network queue up and
 * each one (READ COMMITTED: every statement sees the latest commits) computes the free address or
 * prefix after the previous one committed. On SQLite it takes the database write lock at once, so a
 * deferred transaction never has to upgrade a read lock later (which fails with SQLITE_BUSY under
 * contention). The unique keys on ips(network_id, address) and network_prefixes(prefix) stay as the
 * last line of defence.
 */
export async function lockNetwork(trx: Tx, networkId: string): Promise<boolean> {
  const res = await trx
    .updateTable("networks")
    .set((eb) => ({ generation: eb.ref("generation") }))
    .where("id", "=", networkId)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}
