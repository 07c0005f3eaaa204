import {
  type MachineProvisioningEvent,
  MachineProvisioningEventTypeSchema,
} from "../../gen/metalstack/api/v2/machine_pb.js";
import { escapeControls } from "../output/escape.js";
import { date } from "./common.js";
import { eventLabel } from "./machine.js";

/** TIME_WIDTH is the width of an event time as printed (ISO 8601 in UTC with milliseconds, always 24 characters). */
const TIME_WIDTH = new Date(0).toISOString().length;

/** EVENT_WIDTH is the width of the longest event label, so every message starts in the same column. */
const EVENT_WIDTH = Math.max(
  "EVENT".length,
  ...MachineProvisioningEventTypeSchema.values.map((v) => eventLabel(v.number).length),
);

const GAP = "   ";

/** watchRow lays out one line of `machine watch` in fixed columns: time, event, message. */
function watchRow(time: string, event: string, message: string): string {
  return `${time.padEnd(TIME_WIDTH)}${GAP}${event.padEnd(EVENT_WIDTH)}${GAP}${message}`.trimEnd();
}

/** WATCH_HEADER is the header line above the events `machine watch` prints. */
export const WATCH_HEADER = watchRow("TIME", "EVENT", "MESSAGE");

/**
 * watchLine shows one provisioning event of `machine watch`. The widths are fixed before the first
 * event arrives (every event label is known), so the columns line up however the stream goes on.
 */
export function watchLine(e: MachineProvisioningEvent): string {
  const when = date(e.time)?.toISOString() ?? "";
  return watchRow(when, eventLabel(e.event), escapeControls(e.message));
}
