type Listener = () => void;

/**
 * MachineEventNotifier wakes the watchers of a machine when this process records an event for or
 * changes it. Watchers also poll, so changes made by other replicas still arrive, just later.
 */
export class MachineEventNotifier {
  private readonly listeners = new Map<string, Set<Listener>>();

  /** subscribe calls `listener` whenever the machine changes; it returns the unsubscribe function. */
  subscribe(machineId: string, listener: Listener): () => void {
    let set = this.listeners.get(machineId);
    if (!set) {
      set = new Set();
      this.listeners.set(machineId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(machineId);
    };
  }

  /** notify wakes the watchers of one machine in this process. */
  notify(machineId: string): void {
    for (const listener of this.listeners.get(machineId) ?? []) listener();
  }
}
