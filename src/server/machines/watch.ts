import type { MachineProvisioningEvent } from "../../gen/metalstack/api/v2/machine_pb.js";
import type { AppContext } from "../context.js";
import { listEvents } from "./events.js";
import { getProjectMachine } from "./machine-queries.js";
import { eventToProto } from "./machine-view.js";

/** WATCH_POLL_MS bounds how late an event recorded by another server replica arrives at a watcher. */
const WATCH_POLL_MS = 1000;

/**
 * watchMachineEvents yields the events of a project's machine as they are recorded, optionally
 * starting with the stored ones. It ends when the machine leaves the project (deleted) or `signal`
 * aborts (a handler's signal also aborts on server shutdown); it only ever yields events of the
 * allocation it started on.
 */
export async function* watchMachineEvents(
  ctx: AppContext,
  project: string,
  id: string,
  includeHistory: boolean,
  signal: AbortSignal,
): AsyncGenerator<MachineProvisioningEvent> {
  const row = await getProjectMachine(ctx.db.kysely, project, id, { firewalls: "include" });
  const allocationId = row.allocation_id ?? "";
  let lastSeq = includeHistory ? 0 : row.event_seq;
  let wake: (() => void) | undefined;
  // Set by changes that arrive while the loop is reading, so the wait below does not sleep over them.
  let changed = false;
  const unsubscribe = ctx.machineEvents.subscribe(row.id, () => {
    changed = true;
    wake?.();
  });
  try {
    while (!signal.aborted) {
      changed = false;
      const events = await listEvents(ctx.db.kysely, row.id, { allocationId, afterSeq: lastSeq });
      for (const e of events) {
        lastSeq = e.seq;
        yield eventToProto(e);
      }
      const current = await ctx.db.kysely
        .selectFrom("machines")
        .select("allocation_id")
        .where("id", "=", row.id)
        .executeTakeFirst();
      if (current?.allocation_id !== allocationId) return;
      if (changed) continue;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener("abort", done);
          wake = undefined;
          resolve();
        };
        const timer = setTimeout(done, WATCH_POLL_MS);
        wake = done;
        signal.addEventListener("abort", done);
      });
    }
  } finally {
    unsubscribe();
  }
}
