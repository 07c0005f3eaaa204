import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  type MachineIssue,
  MachineIssueSchema,
  MachineIssueType,
} from "../../gen/metalstack/admin/v2/machine_pb.js";
import {
  MachineProvisioningEventType as Ev,
  MachineLiveliness,
} from "../../gen/metalstack/api/v2/machine_pb.js";
import { TaskKind } from "../../gen/metalstack/infra/v2/agent_pb.js";
import type { AppContext } from "../context.js";
import { inCrashLoop, livelinessOf } from "./machine-view.js";

/** IssueFilter narrows the machines checked: one partition, one machine, or (empty) all. */
export interface IssueFilter {
  partition: string;
  uuid: string;
}

/**
 * machineIssues finds machines with known problems, optionally in one partition or of one machine
 * (NotFound when it does not exist): no event within the liveliness window, a crash loop, a reclaim
 * that did not reach Waiting, no BMC address.
 */
export async function machineIssues(ctx: AppContext, filter: IssueFilter): Promise<MachineIssue[]> {
  const db = ctx.db.kysely;
  const now = ctx.now();
  const uuid = filter.uuid.toLowerCase();
  const machines = await db
    .selectFrom("machines")
    .select(["id", "project", "bmc_address", "last_event", "last_event_time", "crash_streak"])
    .$if(filter.partition !== "", (q) => q.where("partition", "=", filter.partition))
    .$if(uuid !== "", (q) => q.where("id", "=", uuid))
    .orderBy("id")
    .execute();
  if (uuid && machines.length === 0) {
    throw new ConnectError(
      `machine ${filter.uuid} not found${filter.partition ? ` in partition ${filter.partition}` : ""}`,
      Code.NotFound,
    );
  }
  const reclaiming = new Set(
    (
      await db
        .selectFrom("machine_tasks")
        .select("machine_id")
        .where("kind", "=", TaskKind.RECLAIM)
        .$if(uuid !== "", (q) => q.where("machine_id", "=", uuid))
        .execute()
    ).map((t) => t.machine_id),
  );
  const issues: MachineIssue[] = [];
  const add = (uuid: string, type: MachineIssueType, description: string) =>
    issues.push(create(MachineIssueSchema, { uuid, type, description }));
  for (const m of machines) {
    const liveliness = livelinessOf(m.last_event_time, now);
    if (liveliness !== MachineLiveliness.ALIVE) {
      add(
        m.id,
        MachineIssueType.NO_RECENT_EVENT,
        m.last_event_time ? `last event at ${m.last_event_time}` : "no event ever reported",
      );
    }
    if (inCrashLoop(m.crash_streak)) {
      add(
        m.id,
        MachineIssueType.CRASH_LOOP,
        `${m.crash_streak} Crashing events since it last reached Waiting or Phoned Home`,
      );
    }
    if (m.project === null && m.last_event === Ev.PHONED_HOME && !reclaiming.has(m.id)) {
      add(
        m.id,
        MachineIssueType.FAILED_RECLAIM,
        "free and no reclaim pending, but still Phoned Home instead of Waiting",
      );
    }
    if (!m.bmc_address) add(m.id, MachineIssueType.MISSING_BMC_ADDRESS, "no BMC address registered");
  }
  return issues;
}
