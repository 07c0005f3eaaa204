import { Code, ConnectError } from "@connectrpc/connect";
import { MachinePowerState, MachineProvisioningEventType } from "../../gen/metalstack/api/v2/machine_pb.js";
import type { AppContext } from "../context.js";
import type { MachineEventRow } from "../store/machine-schema.js";
import type { Executor } from "../tenancy/trx.js";

/** MAX_EVENTS_PER_MACHINE is how many provisioning events are kept per machine; older ones are dropped. */
export const MAX_EVENTS_PER_MACHINE = 100;

// A running machine repeats these as heartbeats; they refresh the last event instead of filling the history.
const HEARTBEATS = new Set([MachineProvisioningEventType.WAITING, MachineProvisioningEventType.PHONED_HOME]);

/** crashStreakAfter counts Crashing events since the last Waiting or Phoned Home (the good states). */
function crashStreakAfter(streak: number, event: MachineProvisioningEventType): number {
  if (event === MachineProvisioningEventType.CRASHING) return streak + 1;
  return HEARTBEATS.has(event) ? 0 : streak;
}

/**
 * recordEvent stores one provisioning event of a machine, keeps only the newest 100 and wakes the
 * machine's watchers. A repeated heartbeat (Waiting, Phoned Home) only refreshes the last event's time.
 * A machine that reports a new step is running, so its power counts as on.
 */
export async function recordEvent(
  ctx: AppContext,
  machineId: string,
  event: MachineProvisioningEventType,
  message: string,
): Promise<void> {
  if (!(event in MachineProvisioningEventType) || event === MachineProvisioningEventType.UNSPECIFIED) {
    throw new ConnectError("event: must be a provisioning event type, e.g. WAITING", Code.InvalidArgument);
  }
  const time = ctx.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const machine = await trx
      .selectFrom("machines")
      .select(["last_event", "event_seq", "allocation_id", "crash_streak"])
      .where("id", "=", machineId)
      .$if(ctx.db.dialect === "postgres", (q) => q.forUpdate())
      .executeTakeFirst();
    if (!machine) {
      throw new ConnectError(`machine ${machineId} is not registered; register it first`, Code.NotFound);
    }
    if (machine.event_seq > 0 && machine.last_event === event && HEARTBEATS.has(event)) {
      await trx
        .updateTable("machine_events")
        .set({ time, message })
        .where("machine_id", "=", machineId)
        .where("seq", "=", machine.event_seq)
        .execute();
      await trx.updateTable("machines").set({ last_event_time: time }).where("id", "=", machineId).execute();
      return;
    }
    const seq = machine.event_seq + 1;
    await trx
      .insertInto("machine_events")
      .values({ machine_id: machineId, seq, time, event, message, allocation_id: machine.allocation_id })
      .execute();
    await trx
      .updateTable("machines")
      .set({
        last_event: event,
        last_event_time: time,
        event_seq: seq,
        crash_streak: crashStreakAfter(machine.crash_streak, event),
        power_state: MachinePowerState.ON,
      })
      .where("id", "=", machineId)
      .execute();
    await trx
      .deleteFrom("machine_events")
      .where("machine_id", "=", machineId)
      .where("seq", "<=", seq - MAX_EVENTS_PER_MACHINE)
      .execute();
  });
  ctx.machineEvents.notify(machineId);
}

/**
 * listEvents returns a machine's events after `afterSeq`, oldest first. With an allocation id only
 * the events recorded during that allocation are returned: a project never sees what happened to
 * the machine before or after it held it.
 */
export async function listEvents(
  db: Executor,
  machineId: string,
  opts: { allocationId?: string; afterSeq?: number } = {},
): Promise<MachineEventRow[]> {
  let q = db.selectFrom("machine_events").selectAll().where("machine_id", "=", machineId);
  if (opts.allocationId !== undefined) q = q.where("allocation_id", "=", opts.allocationId);
  if (opts.afterSeq !== undefined) q = q.where("seq", ">", opts.afterSeq);
  return q.orderBy("seq").execute();
}
