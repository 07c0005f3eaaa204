import { toJson } from "@bufbuild/protobuf";
import { MachineService, type MachineServiceListResponse } from "../../gen/metalstack/admin/v2/machine_pb.js";
import { type Machine, MachineSchema } from "../../gen/metalstack/api/v2/machine_pb.js";
import { allPages } from "../api/paging.js";
import type { Column, JsonValue, View } from "../output/printer.js";
import { machine, machineView } from "./machine.js";
import { type MachineFilterInput, machineQuery } from "./machine-filters.js";
import type { Gets, Lists, Ref } from "./resource.js";

/** AdminMachineRow is a machine as operators list it: with its BMC address (never credentials). */
export interface AdminMachineRow {
  machine: Machine;
  bmcAddress: string;
}

/** adminMachineRows pairs each machine of a list page with its BMC address. */
export function adminMachineRows(res: MachineServiceListResponse): AdminMachineRow[] {
  return res.machines.map((machine) => ({
    machine,
    bmcAddress: res.bmcs[machine.uuid]?.address ?? "",
  }));
}

function onMachine(c: Column<Machine>): Column<AdminMachineRow> {
  const { sortKey, tone } = c;
  return {
    header: c.header,
    value: (r, now) => c.value(r.machine, now),
    ...(c.wide ? { wide: true } : {}),
    ...(sortKey ? { sortKey: (r: AdminMachineRow) => sortKey(r.machine) } : {}),
    ...(tone ? { tone: (r: AdminMachineRow) => tone(r.machine) } : {}),
  };
}

const bmcColumn: Column<AdminMachineRow> = { header: "BMC", value: (r) => r.bmcAddress, wide: true };

/**
 * adminMachineView is the machine table plus the allocating project and, with -o wide, the BMC
 * address next to the rack; JSON and YAML carry the machine with a `bmc` object.
 */
export const adminMachineView: View<AdminMachineRow> = {
  columns: machineView.columns.flatMap((c) => {
    const col = onMachine(c);
    if (c.header === "Name") {
      return [col, { header: "Project", value: (r: AdminMachineRow) => r.machine.allocation?.project ?? "" }];
    }
    return c.header === "Rack" ? [col, bmcColumn] : [col];
  }),
  toJson: (r) => ({
    ...(toJson(MachineSchema, r.machine) as Record<string, JsonValue>),
    bmc: { address: r.bmcAddress },
  }),
};

/** adminMachines is every machine of all projects, free ones too, with its BMC address (operators). */
export const adminMachines: Lists<
  AdminMachineRow,
  MachineFilterInput & { project?: string | undefined; tenant?: string | undefined }
> = {
  scope: "server",
  noun: "machine",
  view: adminMachineView,
  list: async (deps, _project, query) => {
    const client = deps.client(MachineService);
    return allPages(
      (paging) =>
        client.list({
          ...(query.project ? { project: query.project } : {}),
          ...(query.tenant ? { tenant: query.tenant } : {}),
          query: machineQuery(query),
          paging,
        }),
      adminMachineRows,
    );
  },
};

/** adminMachine is any machine as operators read it, named like the users' machines. */
export const adminMachine: Gets<Machine> & { ref: Ref<Machine> } = {
  scope: "server",
  noun: "machine",
  view: machineView,
  ref: machine.ref,
  get: async (deps, _project, uuid) => (await deps.client(MachineService).get({ uuid })).machine!,
};
