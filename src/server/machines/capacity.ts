import type { Expression, Kysely, SqlBool } from "kysely";
import { MachineState } from "../../gen/metalstack/api/v2/machine_pb.js";
import { getPartition, listPartitions } from "../catalog/partitions.js";
import type { Database } from "../store/schema.js";
import { allocatable, type MachineAlias } from "./allocatable.js";
import { ALIVE_WITHIN_MS, CRASH_LOOP_THRESHOLD } from "./machine-view.js";

/** SizeCapacityCount is what one size holds in one partition; the machine lists name the unusual ones. */
export interface SizeCapacityCount {
  size: string;
  total: number;
  free: number;
  allocated: number;
  reserved: number;
  locked: number;
  faulty: number;
  reservedMachines: string[];
  lockedMachines: string[];
  faultyMachines: string[];
}

/** PartitionCapacityCount is the capacity of one partition, one entry per size that has machines there. */
export interface PartitionCapacityCount {
  partition: string;
  sizes: SizeCapacityCount[];
}

/** faulty is a machine `m` that is dead (no event within the liveliness window, or none ever) or crash-looping. */
function faulty(eb: MachineAlias, now: Date): Expression<SqlBool> {
  const aliveSince = new Date(now.getTime() - ALIVE_WITHIN_MS).toISOString();
  return eb.or([
    eb("m.last_event_time", "is", null),
    eb("m.last_event_time", "<", aliveSince),
    eb("m.crash_streak", ">=", CRASH_LOOP_THRESHOLD),
  ]);
}

/**
 * partitionCapacity counts the machines of each partition (or only `partitionId`, NotFound when it
 * does not exist) per size: total, free (what a create would take now), allocated, reserved, locked
 * and faulty, in one grouped query, plus the ids of the reserved, locked and faulty machines.
 */
export async function partitionCapacity(
  db: Kysely<Database>,
  partitionId: string,
  now: Date,
): Promise<PartitionCapacityCount[]> {
  const partitions = partitionId ? [await getPartition(db, partitionId)] : await listPartitions(db);
  const counts = await db
    .selectFrom("machines as m")
    .select((eb) => {
      const count = (condition: Expression<SqlBool>) =>
        eb.fn.sum<number>(eb.case().when(condition).then(1).else(0).end());
      return [
        "m.partition",
        "m.size",
        eb.fn.countAll<number>().as("total"),
        count(allocatable(eb, now)).as("free"),
        count(eb("m.project", "is not", null)).as("allocated"),
        count(eb("m.state", "=", MachineState.RESERVED)).as("reserved"),
        count(eb("m.state", "=", MachineState.LOCKED)).as("locked"),
        count(faulty(eb, now)).as("faulty"),
      ];
    })
    .$if(partitionId !== "", (q) => q.where("m.partition", "=", partitionId))
    .groupBy(["m.partition", "m.size"])
    .orderBy("m.partition")
    .orderBy("m.size")
    .execute();
  const unusual = await db
    .selectFrom("machines as m")
    .select((eb) => [
      "m.id",
      "m.partition",
      "m.size",
      "m.state",
      eb.case().when(faulty(eb, now)).then(1).else(0).end().as("faulty"),
    ])
    .where((eb) =>
      eb.or([eb("m.state", "in", [MachineState.RESERVED, MachineState.LOCKED]), faulty(eb, now)]),
    )
    .$if(partitionId !== "", (q) => q.where("m.partition", "=", partitionId))
    .orderBy("m.id")
    .execute();
  return partitions.map((p) => ({
    partition: p.id,
    sizes: counts
      .filter((c) => c.partition === p.id)
      .map((c) => {
        const of = unusual.filter((u) => u.partition === p.id && u.size === c.size);
        return {
          size: c.size,
          total: Number(c.total),
          free: Number(c.free),
          allocated: Number(c.allocated),
          reserved: Number(c.reserved),
          locked: Number(c.locked),
          faulty: Number(c.faulty),
          reservedMachines: of.filter((u) => u.state === MachineState.RESERVED).map((u) => u.id),
          lockedMachines: of.filter((u) => u.state === MachineState.LOCKED).map((u) => u.id),
          faultyMachines: of.filter((u) => Number(u.faulty) === 1).map((u) => u.id),
        };
      }),
  }));
}
