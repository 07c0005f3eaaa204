import { toJson } from "@bufbuild/protobuf";
import {
  PartitionService as AdminPartitionService,
  type SizeCapacity as AdminSizeCapacity,
  SizeCapacitySchema as AdminSizeCapacitySchema,
} from "../../gen/metalstack/admin/v2/partition_pb.js";
import {
  PartitionService,
  type SizeCapacity,
  SizeCapacitySchema,
} from "../../gen/metalstack/api/v2/partition_pb.js";
import type { Deps } from "../deps.js";
import type { Column, JsonValue, View } from "../output/printer.js";

/** CapacityRow is the machine count of one size in one partition, as users or operators see it. */
export interface CapacityRow {
  partition: string;
  size: SizeCapacity | AdminSizeCapacity;
}

const count = (field: "reserved" | "locked" | "faulty") => (r: CapacityRow) =>
  field in r.size ? String((r.size as AdminSizeCapacity)[field]) : "";

/** capacityView shows machines per partition and size: total, free, allocated and, for operators, reserved, locked and faulty. */
export function capacityView(admin: boolean): View<CapacityRow> {
  const number = (value: (r: CapacityRow) => string): Pick<Column<CapacityRow>, "value" | "sortKey"> => ({
    value,
    sortKey: (r) => Number(value(r)),
  });
  const columns: Column<CapacityRow>[] = [
    { header: "Partition", value: (r) => r.partition },
    { header: "Size", value: (r) => r.size.size },
    { header: "Total", ...number((r) => String(r.size.total)) },
    {
      header: "Free",
      ...number((r) => String(r.size.free)),
      tone: (r) => (r.size.free === 0 ? "red" : undefined),
    },
    { header: "Allocated", ...number((r) => String(r.size.allocated)) },
  ];
  if (admin) {
    const machines = (field: "reservedMachines" | "lockedMachines" | "faultyMachines") => (r: CapacityRow) =>
      (r.size as AdminSizeCapacity)[field].join(",");
    columns.push(
      { header: "Reserved", ...number(count("reserved")) },
      { header: "Locked", ...number(count("locked")) },
      {
        header: "Faulty",
        ...number(count("faulty")),
        tone: (r) => (count("faulty")(r) !== "0" ? "red" : undefined),
      },
      { header: "Reserved Machines", value: machines("reservedMachines"), wide: true },
      { header: "Locked Machines", value: machines("lockedMachines"), wide: true },
      { header: "Faulty Machines", value: machines("faultyMachines"), wide: true },
    );
  }
  return {
    columns,
    toJson: (r) => {
      const json = admin
        ? toJson(AdminSizeCapacitySchema, r.size as AdminSizeCapacity, { alwaysEmitImplicit: true })
        : toJson(SizeCapacitySchema, r.size as SizeCapacity, { alwaysEmitImplicit: true });
      return { partition: r.partition, ...(json as { [k: string]: JsonValue }) };
    },
    fields: [
      "partition",
      ...(admin ? AdminSizeCapacitySchema : SizeCapacitySchema).fields.map((f) => f.jsonName),
    ],
  };
}

/** capacity counts the machines per partition and size (`admin`: by every state, naming the machines held back). */
export async function capacity(deps: Deps, id: string, admin: boolean): Promise<CapacityRow[]> {
  const res = admin
    ? await deps.client(AdminPartitionService).capacity({ id })
    : await deps.client(PartitionService).capacity({ id });
  return res.partitions.flatMap((p) => p.sizes.map((size) => ({ partition: p.partition, size })));
}
