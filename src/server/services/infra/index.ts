import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import {
  type AgentService,
  AgentServiceCompleteTaskResponseSchema,
  AgentServiceFetchTasksResponseSchema,
  AgentServiceRegisterResponseSchema,
  AgentServiceReportEventResponseSchema,
  TaskSchema,
} from "../../../gen/metalstack/infra/v2/agent_pb.js";
import { getPartition } from "../../catalog/partitions.js";
import { serveAgentConsoles } from "../../console/agent-consoles.js";
import type { AppContext } from "../../context.js";
import { recordEvent } from "../../machines/events.js";
import { confirmManagementTask } from "../../machines/management.js";
import { registerMachine } from "../../machines/register.js";
import { completeTask, fetchTasks, type TaskPayload } from "../../machines/tasks.js";

const MAX_FETCH = 100;

/**
 * agentService serves the provisioning agents (SCOPE_INFRA): registration, events, the task queue and
 * the serial consoles.
 */
export function agentService(ctx: AppContext): Partial<ServiceImpl<typeof AgentService>> {
  return {
    async register(req) {
      const { id, created } = await registerMachine(ctx, req);
      return create(AgentServiceRegisterResponseSchema, { uuid: id, created });
    },
    async reportEvent(req) {
      if (!req.uuid) throw new ConnectError("uuid: name the machine", Code.InvalidArgument);
      if (req.message.length > 1024)
        throw new ConnectError("message: at most 1024 characters", Code.InvalidArgument);
      await recordEvent(ctx, req.uuid.toLowerCase(), req.event, req.message);
      return create(AgentServiceReportEventResponseSchema);
    },
    async fetchTasks(req) {
      if (!req.partition)
        throw new ConnectError("partition: name the agent's partition", Code.InvalidArgument);
      const tasks = await fetchTasks(ctx, req.partition, Math.min(req.limit || MAX_FETCH, MAX_FETCH));
      return create(AgentServiceFetchTasksResponseSchema, {
        tasks: tasks.map((t) => {
          const payload = JSON.parse(t.payload) as TaskPayload;
          return create(TaskSchema, {
            id: t.id,
            machine: t.machine_id,
            kind: t.kind,
            createdAt: timestampFromDate(new Date(t.created_at)),
            image: payload.image ?? "",
            hostname: payload.hostname ?? "",
            filesystemLayout: payload.filesystemLayout ?? "",
          });
        }),
      });
    },
    async completeTask(req) {
      if (!req.id) throw new ConnectError("id: name the task", Code.InvalidArgument);
      const task = await completeTask(ctx, req.id);
      if (req.error) {
        ctx.log.warn("agent task failed", {
          task: task.id,
          machine: task.machine_id,
          kind: task.kind,
          error: req.error,
        });
      } else {
        await confirmManagementTask(ctx, task.machine_id, task.kind);
      }
      return create(AgentServiceCompleteTaskResponseSchema);
    },
    async *consoles(requests, context) {
      const it = requests[Symbol.asyncIterator]();
      const first = await it.next();
      if (first.done) return;
      const { partition } = first.value;
      if (!partition) {
        throw new ConnectError(
          "partition: the first message names the partition whose consoles the agent serves",
          Code.InvalidArgument,
        );
      }
      await getPartition(ctx.db.kysely, partition);
      yield* serveAgentConsoles(ctx.consoles, partition, it, context.signal);
    },
  };
}
