import type { Tx } from "../catalog/resource-meta.js";
import { lockForUpdate } from "../store/versioned-rows.js";

/**
 * lockNetwork serializes allocations from one network, and changes to it, until the transaction ends
 * and tells whether the network exists (store/versioned-rows.ts explains the lock). On PostgreSQL
 * concurrent allocations from the same network queue up and each one (READ COMMITTED: every statement
 * sees the latest commits) computes the free address or prefix after the previous one committed. The
 * unique keys on ips(network_id, address) and network_prefixes(prefix) stay as the last line of defence.
 */
export function lockNetwork(trx: Tx, networkId: string): Promise<boolean> {
  return lockForUpdate(trx, "networks", { column: "id", value: networkId });
}
