import type { AppContext } from "../context.js";

type Listener = () => void;

const registries = new WeakMap<AppContext, Map<string, Set<Listener>>>();

function registry(ctx: AppContext): Map<string, Set<Listener>> {
  let r = registries.get(ctx);
  if (!r) {
    r = new Map();
    registries.set(ctx, r);
  }
  return r;
}

/**
 * onMachineChanged calls `listener` whenever this process records an event for or changes the
 * machine; it returns the unsubscribe function. Watchers also poll, so changes made by other
 * replicas still arrive, just later.
 */
export function onMachineChanged(ctx: AppContext, machineId: string, listener: Listener): () => void {
  const r = registry(ctx);
  let set = r.get(machineId);
  if (!set) {
    set = new Set();
    r.set(machineId, set);
  }
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0) r.delete(machineId);
  };
}

/** notifyMachineChanged wakes the watchers of one machine in this process. */
export function notifyMachineChanged(ctx: AppContext, machineId: string): void {
  for (const listener of registry(ctx).get(machineId) ?? []) listener();
}
