import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type MachineService,
  MachineServiceBootResponseSchema,
  MachineServiceConsoleResponseSchema,
  MachineServiceCreateResponseSchema,
  MachineServiceDeleteResponseSchema,
  MachineServiceEventsResponseSchema,
  MachineServiceGetResponseSchema,
  MachineServiceIdentifyResponseSchema,
  MachineServiceListResponseSchema,
  MachineServicePowerResponseSchema,
  MachineServiceReinstallResponseSchema,
  MachineServiceUpdateResponseSchema,
  MachineServiceWatchResponseSchema,
} from "../../../gen/metalstack/api/v2/machine_pb.js";
import { TaskKind } from "../../../gen/metalstack/infra/v2/agent_pb.js";
import { relayConsole } from "../../console/console-relay.js";
import type { AppContext } from "../../context.js";
import { allocateMachine } from "../../machines/allocate.js";
import { listEvents } from "../../machines/events.js";
import { freeMachine } from "../../machines/free.js";
import { getProjectMachine, listMachines } from "../../machines/machine-queries.js";
import { eventToProto, machineToProto } from "../../machines/machine-view.js";
import { bootTaskKind, powerTaskKind, queueMachineCommand } from "../../machines/operations.js";
import { projectMachineView } from "../../machines/project-view.js";
import { reinstallMachine } from "../../machines/reinstall.js";
import { updateMachine } from "../../machines/update.js";
import { watchMachineEvents } from "../../machines/watch.js";
import { callerId } from "../../tenancy/caller.js";

/**
 * machineService serves project-scoped machine calls. The authorize interceptor has checked the
 * caller's role on `req.project`; every query here is scoped by that project.
 */
export function machineService(ctx: AppContext): Partial<ServiceImpl<typeof MachineService>> {
  return {
    async get(req) {
      const row = await getProjectMachine(ctx.db.kysely, req.project, req.uuid);
      return create(MachineServiceGetResponseSchema, { machine: await projectMachineView(ctx, row) });
    },
    async create(req, context) {
      const row = await allocateMachine(ctx, callerId(context), req);
      return create(MachineServiceCreateResponseSchema, { machine: await projectMachineView(ctx, row) });
    },
    async update(req) {
      const row = await updateMachine(ctx, req);
      return create(MachineServiceUpdateResponseSchema, { machine: await projectMachineView(ctx, row) });
    },
    async list(req) {
      const { rows, nextPageToken } = await listMachines(
        ctx.db.kysely,
        ctx.db.dialect,
        { project: req.project },
        req.query,
        req.paging,
      );
      const now = ctx.now();
      return create(MachineServiceListResponseSchema, {
        machines: rows.map((r) => machineToProto(r, [], now)),
        nextPageToken,
      });
    },
    async delete(req) {
      await getProjectMachine(ctx.db.kysely, req.project, req.uuid);
      return create(MachineServiceDeleteResponseSchema, {
        machine: await freeMachine(ctx, req.project, req.uuid),
      });
    },
    async power(req) {
      await queueMachineCommand(ctx, req.project, req.uuid, powerTaskKind(req.action));
      return create(MachineServicePowerResponseSchema);
    },
    async boot(req) {
      await queueMachineCommand(ctx, req.project, req.uuid, bootTaskKind(req.device));
      return create(MachineServiceBootResponseSchema);
    },
    async identify(req) {
      const kind = req.on ? TaskKind.IDENTIFY_ON : TaskKind.IDENTIFY_OFF;
      await queueMachineCommand(ctx, req.project, req.uuid, kind);
      return create(MachineServiceIdentifyResponseSchema);
    },
    async reinstall(req) {
      const row = await reinstallMachine(ctx, req);
      return create(MachineServiceReinstallResponseSchema, { machine: await projectMachineView(ctx, row) });
    },
    async events(req) {
      const row = await getProjectMachine(ctx.db.kysely, req.project, req.uuid, { firewalls: "include" });
      const events = await listEvents(ctx.db.kysely, row.id, { allocationId: row.allocation_id ?? "" });
      return create(MachineServiceEventsResponseSchema, { events: events.map(eventToProto) });
    },
    async *watch(req, context) {
      for await (const event of watchMachineEvents(
        ctx,
        req.project,
        req.uuid,
        req.includeHistory,
        context.signal,
      )) {
        yield create(MachineServiceWatchResponseSchema, { event });
      }
    },
    async *console(requests, context) {
      const it = requests[Symbol.asyncIterator]();
      const first = await it.next();
      if (first.done) return;
      const { project, uuid } = first.value;
      const row = await getProjectMachine(ctx.db.kysely, project, uuid, { firewalls: "include" });
      const same = (r: { project: string; uuid: string }) => r.project === project && r.uuid === uuid;
      for await (const output of relayConsole(ctx.consoles, row, first.value, it, same, context.signal)) {
        yield create(MachineServiceConsoleResponseSchema, { output });
      }
    },
  };
}
