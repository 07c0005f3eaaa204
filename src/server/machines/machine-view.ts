import { create, fromJson, type JsonValue, toJson } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { MetaSchema } from "../../gen/metalstack/api/v2/common_pb.js";
import {
  type Machine,
  MachineAllocationSchema,
  type MachineHardware,
  MachineHardwareSchema,
  MachineLiveliness,
  MachineManagementSchema,
  MachineNetworkSchema,
  type MachineProvisioningEvent,
  MachineProvisioningEventSchema,
  MachineSchema,
  MachineStatusSchema,
} from "../../gen/metalstack/api/v2/machine_pb.js";
import type { MachineEventRow, MachineRow } from "../store/machine-schema.js";

/** ALIVE_WITHIN_MS is how recent the last event must be for a machine to count as alive. */
export const ALIVE_WITHIN_MS = 5 * 60 * 1000;

/** CRASH_LOOP_THRESHOLD is how many Crashing events since the last good state make a crash loop. */
export const CRASH_LOOP_THRESHOLD = 3;

/** inCrashLoop tells whether a machine's crash streak makes a crash loop. */
export function inCrashLoop(crashStreak: number): boolean {
  return crashStreak >= CRASH_LOOP_THRESHOLD;
}

/** AllocationJson is the part of an allocation kept as JSON in `machines.allocation`. */
export interface AllocationJson {
  description: string;
  filesystemLayout: string;
  networks: { network: string; ips: string[] }[];
  sshPublicKeys: string[];
  userdata: string;
  createdAt: string;
  createdBy: string;
}

/** parseAllocation reads the allocation JSON of a row; null for a free machine. */
export function parseAllocation(row: Pick<MachineRow, "allocation">): AllocationJson | null {
  return row.allocation ? (JSON.parse(row.allocation) as AllocationJson) : null;
}

/** hardwareToJson serialises a hardware summary for the `machines.hardware` column. */
export function hardwareToJson(hw: MachineHardware | undefined): string {
  return JSON.stringify(toJson(MachineHardwareSchema, hw ?? create(MachineHardwareSchema)));
}

/** livelinessOf derives liveliness from the time of the last event. */
export function livelinessOf(lastEventTime: string | null, now: Date): MachineLiveliness {
  if (!lastEventTime) return MachineLiveliness.UNKNOWN;
  return now.getTime() - Date.parse(lastEventTime) <= ALIVE_WITHIN_MS
    ? MachineLiveliness.ALIVE
    : MachineLiveliness.DEAD;
}

/** eventToProto converts a stored event to its API form. */
export function eventToProto(
  e: Pick<MachineEventRow, "time" | "event" | "message">,
): MachineProvisioningEvent {
  return create(MachineProvisioningEventSchema, {
    time: timestampFromDate(new Date(e.time)),
    event: e.event,
    message: e.message,
  });
}

/**
 * machineToProto converts a row and the events the caller may see to the API form. BMC address and
 * credentials are never part of it; admin callers get the address separately.
 */
export function machineToProto(row: MachineRow, events: MachineEventRow[], now: Date): Machine {
  const alloc = parseAllocation(row);
  return create(MachineSchema, {
    uuid: row.id,
    meta: create(MetaSchema, {
      generation: BigInt(row.generation),
      createdAt: timestampFromDate(new Date(row.created_at)),
      updatedAt: timestampFromDate(new Date(row.updated_at)),
      labels: JSON.parse(row.labels) as Record<string, string>,
    }),
    partition: row.partition,
    size: row.size,
    rack: row.rack,
    hardware: fromJson(MachineHardwareSchema, JSON.parse(row.hardware) as JsonValue),
    state: row.state,
    stateDescription: row.state_description,
    allocation:
      alloc && row.project
        ? create(MachineAllocationSchema, {
            uuid: row.allocation_id ?? "",
            project: row.project,
            name: row.name ?? "",
            hostname: row.hostname ?? "",
            description: alloc.description,
            image: row.image ?? "",
            filesystemLayout: alloc.filesystemLayout,
            networks: alloc.networks.map((n) => create(MachineNetworkSchema, n)),
            sshPublicKeys: alloc.sshPublicKeys,
            userdata: alloc.userdata,
            createdAt: timestampFromDate(new Date(alloc.createdAt)),
            createdBy: alloc.createdBy,
          })
        : undefined,
    status: create(MachineStatusSchema, {
      liveliness: livelinessOf(row.last_event_time, now),
      lastEvent: row.last_event,
      lastEventTime: row.last_event_time ? timestampFromDate(new Date(row.last_event_time)) : undefined,
      crashLoop: inCrashLoop(row.crash_streak),
    }),
    management: create(MachineManagementSchema, {
      power: row.power_state,
      nextBoot: row.next_boot,
      identifyLed: row.led_state,
      updatedAt: row.management_updated_at
        ? timestampFromDate(new Date(row.management_updated_at))
        : undefined,
    }),
    recentProvisioningEvents: { events: events.map(eventToProto) },
  });
}
