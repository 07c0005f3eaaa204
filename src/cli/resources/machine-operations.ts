import { MachineIssueSchema, MachineIssueTypeSchema } from "../../gen/metalstack/admin/v2/machine_pb.js";
import {
  MachineProvisioningEventSchema,
  MachineProvisioningEventTypeSchema,
} from "../../gen/metalstack/api/v2/machine_pb.js";
import type { View } from "../output/printer.js";
import { date, enumLabel, protoView } from "./common.js";

/** machineEventView shows provisioning events one per line: time, event and message. */
export const machineEventView = protoView(MachineProvisioningEventSchema, [
  { header: "Time", value: (e) => date(e.time)?.toISOString() ?? "" },
  { header: "Event", value: (e) => enumLabel(MachineProvisioningEventTypeSchema, e.event) },
  { header: "Message", value: (e) => e.message },
]);

/** machineIssueView shows machine issues: machine, kind of issue and details. */
export const machineIssueView = protoView(MachineIssueSchema, [
  { header: "ID", value: (i) => i.uuid },
  { header: "Issue", value: (i) => enumLabel(MachineIssueTypeSchema, i.type) },
  { header: "Details", value: (i) => i.description },
]);

/** MachineBmcRow is what `admin machine bmc` shows of a machine's management controller. */
export interface MachineBmcRow {
  uuid: string;
  rack: string;
  address: string;
}

/** machineBmcView shows a machine's BMC address and rack. */
export const machineBmcView: View<MachineBmcRow> = {
  columns: [
    { header: "ID", value: (r) => r.uuid },
    { header: "Rack", value: (r) => r.rack },
    { header: "BMC Address", value: (r) => r.address },
  ],
  toJson: (r) => ({ uuid: r.uuid, rack: r.rack, address: r.address }),
};
