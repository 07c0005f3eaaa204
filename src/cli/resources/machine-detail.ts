import { toJson } from "@bufbuild/protobuf";
import {
  type MachineIssue,
  MachineIssueSchema,
  MachineIssueTypeSchema,
} from "../../gen/metalstack/admin/v2/machine_pb.js";
import {
  type Machine,
  MachineBootDeviceSchema,
  MachineLedStateSchema,
  MachinePowerStateSchema,
  MachineSchema,
  MachineState,
  MachineStateSchema,
} from "../../gen/metalstack/api/v2/machine_pb.js";
import type { Detail, JsonValue } from "../output/printer.js";
import { indent, renderTable } from "../output/table.js";
import { age } from "../output/time.js";
import { date, enumKey, enumLabel, setEnumKey, showLabels } from "./common.js";
import { eventLabel, machineLabel, machineStatus } from "./machine.js";
import { type Names, type Reference, withName } from "./referenced-names.js";

/** DETAIL_EVENTS is how many of the newest provisioning events a describe shows (`machine events` lists all). */
const DETAIL_EVENTS = 10;

/**
 * machineDetail shows one machine as a readable block under a heading naming it (as every describe): allocation, state, liveliness and markers,
 * what its management interface last confirmed (power, next boot device, LED) and its newest events.
 * JSON and YAML carry the whole machine. Operators pass the BMC address (never credentials) and issues;
 * `names` (machineReferences) puts the names of its project and networks next to their IDs.
 */
export function machineDetail(
  m: Machine,
  admin?: { bmcAddress: string; issues: MachineIssue[] },
  names?: Names,
): Detail {
  const machine = toJson(MachineSchema, m) as Record<string, JsonValue>;
  return {
    json: admin
      ? {
          ...machine,
          bmc: { address: admin.bmcAddress },
          issues: admin.issues.map((i) => toJson(MachineIssueSchema, i) as JsonValue),
        }
      : machine,
    text(now) {
      const a = m.allocation;
      const st = m.status;
      const mg = m.management;
      const fields: [string, string][] = [
        ["ID", m.uuid],
        ["Name", a?.name ?? ""],
        ["Hostname", a?.hostname ?? ""],
        ["Project", a ? withName(a.project, names) : "(free)"],
        ["Description", a?.description ?? ""],
        ["Partition", m.partition],
        ["Rack", m.rack],
        ...(admin ? [["BMC", admin.bmcAddress || "(none registered)"] as [string, string]] : []),
        ["Size", m.size],
        ["Image", a?.image ?? ""],
        ["State", stateText(m)],
        ["Status", machineStatus(m)],
        [
          "Last event",
          st?.lastEvent ? `${eventLabel(st.lastEvent)}, ${age(date(st.lastEventTime), now)} ago` : "none yet",
        ],
        ["Power", setEnumKey(MachinePowerStateSchema, mg?.power ?? 0) || "unknown"],
        ["Next boot", setEnumKey(MachineBootDeviceSchema, mg?.nextBoot ?? 0) || "not set"],
        ["Identify LED", setEnumKey(MachineLedStateSchema, mg?.identifyLed ?? 0) || "unknown"],
        [
          "Allocated",
          a ? `${age(date(a.createdAt), now)} ago${a.createdBy ? ` by ${a.createdBy}` : ""}` : "",
        ],
        ["Labels", showLabels(m.meta?.labels)],
      ];
      const width = Math.max(...fields.map(([k]) => k.length)) + 2;
      let out = `Machine ${machineLabel(m)}\n\n`;
      out += fields
        .filter(([, v]) => v !== "")
        .map(([k, v]) => `${`${k}:`.padEnd(width)}${v}`)
        .join("\n");
      out += "\n";
      if (a?.networks.length) {
        const rows = a.networks.map((n) => [withName(n.network, names), n.ips.join(", ")]);
        out += `\nNetworks:\n${indent(renderTable(["Network", "IPs"], rows))}`;
      }
      if (admin?.issues.length) {
        const rows = admin.issues.map((i) => [enumLabel(MachineIssueTypeSchema, i.type), i.description]);
        out += `\nIssues:\n${indent(renderTable(["Issue", "Details"], rows))}`;
      }
      const events = m.recentProvisioningEvents?.events ?? [];
      if (events.length) {
        const shown = events.slice(-DETAIL_EVENTS);
        const rows = shown.map((e) => [age(date(e.time), now), eventLabel(e.event), e.message]);
        const more = events.length > shown.length ? ` (newest ${shown.length} of ${events.length})` : "";
        out += `\nEvents${more}:\n${indent(renderTable(["Age", "Event", "Message"], rows))}`;
      }
      return out;
    },
  };
}

/** machineReferences are the items a machine's description names by ID: its project and networks. */
export function machineReferences(m: Machine): Reference[] {
  const a = m.allocation;
  if (!a) return [];
  return [
    { source: { kind: "project", scope: "server" }, id: a.project },
    ...a.networks.map((n) => ({ source: { kind: "network", scope: "project" } as const, id: n.network })),
  ];
}

/** stateText is the operator's state with its reason, e.g. "locked: disk replacement". */
function stateText(m: Machine): string {
  const state = enumKey(MachineStateSchema, m.state);
  if (m.state === MachineState.AVAILABLE || !m.stateDescription) return state;
  return `${state}: ${m.stateDescription}`;
}
