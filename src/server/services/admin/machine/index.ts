import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  MachineAllocationFilter,
  type MachineService,
  MachineServiceGetResponseSchema,
  MachineServiceListResponseSchema,
} from "../../../../gen/metalstack/admin/v2/machine_pb.js";
import type { AppContext } from "../../../context.js";
import { getMachine, listMachines } from "../../../machines/machine-queries.js";
import { machineToProto } from "../../../machines/machine-view.js";
import { adminMachineView } from "../../../machines/project-view.js";

const allocationFilters = {
  [MachineAllocationFilter.UNSPECIFIED]: undefined,
  [MachineAllocationFilter.ALLOCATED]: "allocated",
  [MachineAllocationFilter.FREE]: "free",
} as const;

/** adminMachineService lets operators list and read every machine; the BMC address is shown, credentials never. */
export function adminMachineService(ctx: AppContext): Partial<ServiceImpl<typeof MachineService>> {
  return {
    async get(req) {
      const row = await getMachine(ctx.db.kysely, req.uuid);
      return create(MachineServiceGetResponseSchema, {
        machine: await adminMachineView(ctx, row),
        bmc: { address: row.bmc_address },
      });
    },
    async list(req) {
      const { rows, nextPageToken } = await listMachines(
        ctx.db.kysely,
        ctx.db.dialect,
        {
          ...(req.project ? { project: req.project } : {}),
          ...(allocationFilters[req.allocation] ? { allocation: allocationFilters[req.allocation] } : {}),
        },
        req.query,
        req.paging,
      );
      const now = ctx.now();
      return create(MachineServiceListResponseSchema, {
        machines: rows.map((r) => machineToProto(r, [], now)),
        nextPageToken,
      });
    },
  };
}
