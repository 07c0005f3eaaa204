import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import {
  MachineAllocationFilter,
  type MachineService,
  MachineServiceConsoleResponseSchema,
  MachineServiceGetResponseSchema,
  MachineServiceIssuesResponseSchema,
  MachineServiceListResponseSchema,
  MachineServiceSetStateResponseSchema,
} from "../../../../gen/metalstack/admin/v2/machine_pb.js";
import { principalKey } from "../../../auth/principal.js";
import { relayConsole } from "../../../console/console-relay.js";
import type { AppContext } from "../../../context.js";
import { machineIssues } from "../../../machines/issues.js";
import { getMachine, listMachines } from "../../../machines/machine-queries.js";
import { setMachineState } from "../../../machines/machine-state.js";
import { machineToProto } from "../../../machines/machine-view.js";
import { adminMachineView } from "../../../machines/project-view.js";

const allocationFilters = {
  [MachineAllocationFilter.UNSPECIFIED]: undefined,
  [MachineAllocationFilter.ALLOCATED]: "allocated",
  [MachineAllocationFilter.FREE]: "free",
} as const;

/**
 * adminMachineService lets operators list, read, reserve and lock every machine, see its issues and
 * attach to its console; the BMC address is shown, credentials never.
 */
export function adminMachineService(ctx: AppContext): Partial<ServiceImpl<typeof MachineService>> {
  return {
    async get(req) {
      const row = await getMachine(ctx.db.kysely, req.uuid);
      return create(MachineServiceGetResponseSchema, {
        machine: await adminMachineView(ctx, row),
        bmc: { address: row.bmc_address },
      });
    },
    async setState(req, context) {
      const operator = context.values.get(principalKey)?.userId;
      if (!operator)
        throw new ConnectError("this call needs a token; run `metalctl login`", Code.Unauthenticated);
      const row = await setMachineState(ctx, req.uuid, req.state, req.description, operator);
      return create(MachineServiceSetStateResponseSchema, { machine: await adminMachineView(ctx, row) });
    },
    async issues(req) {
      return create(MachineServiceIssuesResponseSchema, { issues: await machineIssues(ctx, req) });
    },
    async list(req) {
      const { rows, nextPageToken } = await listMachines(
        ctx.db.kysely,
        ctx.db.dialect,
        {
          ...(req.project ? { project: req.project } : {}),
          ...(req.tenant ? { tenant: req.tenant } : {}),
          ...(allocationFilters[req.allocation] ? { allocation: allocationFilters[req.allocation] } : {}),
        },
        req.query,
        req.paging,
      );
      const now = ctx.now();
      return create(MachineServiceListResponseSchema, {
        machines: rows.map((r) => machineToProto(r, [], now)),
        nextPageToken,
        bmcs: Object.fromEntries(rows.map((r) => [r.id, { address: r.bmc_address }])),
      });
    },
    async *console(requests, context) {
      const it = requests[Symbol.asyncIterator]();
      const first = await it.next();
      if (first.done) return;
      const { uuid } = first.value;
      const row = await getMachine(ctx.db.kysely, uuid);
      const same = (r: { uuid: string }) => r.uuid === uuid;
      for await (const output of relayConsole(ctx.consoles, row, first.value, it, same, context.signal)) {
        yield create(MachineServiceConsoleResponseSchema, { output });
      }
    },
  };
}
