/**
 * AccessChange is an event after which some callers may see less than before: a user's roles or
 * memberships changed (or the user is gone), tokens of a user were revoked, a project or a tenant was
 * deleted.
 */
export type AccessChange =
  | { kind: "membership"; userId: string }
  | { kind: "revocation"; userId: string }
  | { kind: "project-deleted"; projectId: string }
  | { kind: "tenant-deleted"; tenantId: string };

/** AccessListener hears an access change; `relayed` is true for one made on another replica. */
export type AccessListener = (change: AccessChange, relayed: boolean) => void;

/**
 * AccessChanges tells this replica's listeners (permission caches, open streams) about access changes,
 * made here or relayed from other replicas over Redis.
 */
export class AccessChanges {
  private readonly listeners = new Set<AccessListener>();

  /** subscribe adds a listener; it returns the function that removes it. */
  subscribe(listener: AccessListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** emit tells every listener about a change; `relayed` marks one received from another replica. */
  emit(change: AccessChange, relayed = false): void {
    for (const listener of this.listeners) listener(change, relayed);
  }
}
